import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../local/paths';

/** One start of `npm start`'s program: time to the ready block, memory, and a clean stop. */
export type StartupRun = {
  label: string;
  readyMs: number;
  rssMiB: number;
  processes: number;
  orphans: number;
  orphanCommands: string[];
  /** What the program printed up to its ready block. */
  output: string;
};

/** Every process whose ancestry leads to root (read from /proc). */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  }
  return tree;
}

function rssKiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const commandOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 200);
  } catch {
    return '(gone)';
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts the local runtime in a fresh process with STEWARD_HOME, measures it, stops it. */
export async function measureStart(
  label: string,
  home: string,
  portBase: number,
): Promise<StartupRun> {
  const started = Date.now();
  const child = spawn(
    path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(PROJECT_ROOT, 'local', 'main.ts')],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        STEWARD_HOME: home,
        STEWARD_PORT_BASE: String(portBase),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const readyMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not ready within 180 s:\n${output}`)),
      180_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Steward is running locally')) {
        clearTimeout(timer);
        resolve(Date.now() - started);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
  await new Promise((r) => setTimeout(r, 1000));
  const tree = processTree(child.pid ?? 0);
  const rssMiB = tree.reduce((sum, pid) => sum + rssKiB(pid), 0) / 1024;
  child.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  await exited;
  // Anything of the tree still alive 5 s after the program exited is an orphan.
  const deadline = Date.now() + 5000;
  let left = tree.filter((pid) => pid !== child.pid && alive(pid));
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = left.filter(alive);
  }
  const orphanCommands = left.map(commandOf);
  // Counted, then ended: a leftover would hold its port and data folder for the next start.
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return {
    label,
    readyMs,
    rssMiB: Math.round(rssMiB),
    processes: tree.length,
    orphans: left.length,
    orphanCommands,
    output,
  };
}

/** First start (no synth cache, no data: synth, tables, demo seed) and a warm start after it. */
export async function startupScenario(): Promise<StartupRun[]> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-home-'));
  try {
    const first = await measureStart('first start (synth + empty data + demo seed)', home, 21000);
    const warm = await measureStart('warm start (cached synth, existing data)', home, 21000);
    return [first, warm];
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
