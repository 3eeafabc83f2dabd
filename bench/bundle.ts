import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../local/paths';

/** The JavaScript a first visit loads: the entry script and what index.html preloads. */
export type BundleSize = { files: string[]; rawKiB: number; gzipKiB: number; cssGzipKiB: number };

/** Builds the web app into a temporary folder and measures its initial JS and CSS. */
export function measureBundle(): BundleSize {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'steward-bundle-'));
  try {
    execFileSync(
      path.join(PROJECT_ROOT, 'node_modules', '.bin', 'vite'),
      ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="\/([^"]+\.(js|css))"/g)].map((m) => ({
      file: m[1] ?? '',
      kind: m[2],
    }));
    const size = (kind: string, gz: boolean) =>
      refs
        .filter((r) => r.kind === kind)
        .reduce((sum, r) => {
          const bytes = readFileSync(path.join(outDir, r.file));
          return sum + (gz ? gzipSync(bytes, { level: 9 }).length : bytes.length);
        }, 0) / 1024;
    return {
      files: refs.filter((r) => r.kind === 'js').map((r) => r.file),
      rawKiB: Math.round(size('js', false)),
      gzipKiB: Math.round(size('js', true) * 10) / 10,
      cssGzipKiB: Math.round(size('css', true) * 10) / 10,
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
