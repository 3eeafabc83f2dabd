import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { LocalRuntimeError } from './process-utils';

/** The context `ampx sandbox` passes to the backend program, with a fixed local identity. */
const SYNTH_CONTEXT = {
  'amplify-backend-namespace': 'local',
  'amplify-backend-name': 'dev',
  'amplify-backend-type': 'sandbox',
};

/** Files whose content decides the synthesized output. */
function inputsOf(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (!entry.endsWith('.test.ts')) files.push(full);
    }
  };
  for (const dir of ['amplify', 'core']) walk(path.join(root, dir));
  files.push(path.join(root, 'package-lock.json'));
  return files.filter((f) => existsSync(f)).sort();
}

/** The build settings the backend reads from the environment (`STEWARD_…`), by name. */
const SETTING = /\bSTEWARD_[A-Z0-9_]+\b/g;

/**
 * A hash of everything the backend program reads — its sources and the `STEWARD_…` settings
 * they name — so an unchanged backend is not synthesized again, and a changed setting is.
 */
export function backendHash(
  root: string,
  environment: Record<string, string | undefined> = process.env,
): string {
  const hash = createHash('sha256');
  const settings = new Set<string>();
  for (const file of inputsOf(root)) {
    const content = readFileSync(file);
    hash.update(path.relative(root, file));
    hash.update(content);
    if (file.includes(`${path.sep}amplify${path.sep}`)) {
      for (const [name] of content.toString('utf8').matchAll(SETTING)) settings.add(name);
    }
  }
  for (const name of [...settings].sort()) hash.update(`\0${name}=${environment[name] ?? ''}`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Synthesizes amplify/backend.ts offline (no AWS account, no credentials) into
 * `<cacheDirectory>/<hash>` and returns that folder; an up-to-date folder is reused.
 */
export async function synthesize(options: {
  root: string;
  cacheDirectory: string;
  log?: (line: string) => void;
}): Promise<{ directory: string; cached: boolean }> {
  const hash = backendHash(options.root);
  const directory = path.join(options.cacheDirectory, hash);
  if (existsSync(path.join(directory, 'manifest.json'))) return { directory, cached: true };
  pruneCache(options.cacheDirectory, 3);
  // A unique staging folder: two runtimes (or a test and a runtime) may synthesize at once.
  const staging = `${directory}.${process.pid}.${Date.now()}.partial`;
  options.log?.('synthesizing amplify/backend.ts');
  const { code, output } = await runBackendProgram({
    root: options.root,
    outdir: staging,
    context: SYNTH_CONTEXT,
  });
  if (code !== 0) {
    throw new LocalRuntimeError(
      'Synthesizing amplify/backend.ts failed.',
      `Fix the error below and start again:\n${output
        .split('\n')
        .filter((l) => !/^\s+at /.test(l))
        .slice(-40)
        .join('\n')}`,
    );
  }
  if (existsSync(path.join(directory, 'manifest.json'))) {
    rmSync(staging, { recursive: true, force: true });
  } else {
    renameSync(staging, directory);
  }
  return { directory, cached: false };
}

/** The context `ampx pipeline-deploy` passes for a branch (Amplify Hosting or CI). */
export const BRANCH_CONTEXT = {
  'amplify-backend-namespace': 'd1example',
  'amplify-backend-name': 'main',
  'amplify-backend-type': 'branch',
};

/**
 * Runs amplify/backend.ts once as the CDK app it is, writing the cloud assembly to `outdir`,
 * with the given context and extra environment. Returns its exit code and everything it printed.
 */
export async function runBackendProgram(options: {
  root: string;
  outdir: string;
  context: Record<string, string>;
  environment?: Record<string, string | undefined>;
}): Promise<{ code: number | null; output: string }> {
  const tsx = path.join(options.root, 'node_modules', '.bin', 'tsx');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(tsx, [path.join(options.root, 'amplify', 'backend.ts')], {
      cwd: options.root,
      // An `undefined` in `environment` removes that variable for the program.
      env: Object.fromEntries(
        Object.entries({
          ...process.env,
          ...options.environment,
          CDK_OUTDIR: options.outdir,
          CDK_CONTEXT_JSON: JSON.stringify(options.context),
        }).filter(([, value]) => value !== undefined),
      ),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  return { code, output: output.join('') };
}

/** Keeps the newest `keep` synthesized backends; older ones may still be in use, so not fewer. */
function pruneCache(cacheDirectory: string, keep: number): void {
  if (!existsSync(cacheDirectory)) return;
  const entries = readdirSync(cacheDirectory)
    .map((name) => ({ name, mtime: statSync(path.join(cacheDirectory, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  const hourAgo = Date.now() - 3_600_000;
  for (const entry of entries.slice(keep)) {
    // Partial folders of a synth still running are young; leave those alone.
    if (entry.name.endsWith('.partial') && entry.mtime > hourAgo) continue;
    rmSync(path.join(cacheDirectory, entry.name), { recursive: true, force: true });
  }
}
