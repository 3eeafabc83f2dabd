import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where a scenario's CPU goes: the CPU time of this process (the local runtime: AppSync
 * simulator, stream consumers, Cognito and mail emulators) and of every process below it —
 * DynamoDB Local's JVM, each function's execution environments — read from /proc before and after
 * the scenario. Empty where there is no /proc (the figures are then left out).
 */

/** The runtime's own Node process: AppSync simulator, stream consumers, Cognito and mail. */
export const RUNTIME_PART = 'runtime';
export const DYNAMODB_PART = 'DynamoDB Local';
/** The load generator, which reports its own CPU time (it has ended before the last snapshot). */
export const LOAD_PART = 'load generator';

/** The clock ticks /proc counts CPU time in (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds per process, with the part of the stack it belongs to. */
export type CpuSnapshot = Map<number, { part: string; ms: number }>;

type ProcessInfo = { pid: number; ppid: number; ms: number; command: string };

function readProcesses(): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      out.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        ms: (ticks * 1000) / TICKS_PER_SECOND,
        command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '),
      });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * This process and its descendants, each named by `partOf` (undefined: left out; this process
 * itself is `root`).
 */
export function cpuSnapshot(
  partOf: (command: string) => string | undefined,
  root = RUNTIME_PART,
): CpuSnapshot {
  const processes = readProcesses();
  const children = new Map<number, ProcessInfo[]>();
  for (const info of processes) {
    const siblings = children.get(info.ppid) ?? [];
    siblings.push(info);
    children.set(info.ppid, siblings);
  }
  const snapshot: CpuSnapshot = new Map();
  const self = processes.find((info) => info.pid === process.pid);
  if (!self) return snapshot;
  snapshot.set(self.pid, { part: root, ms: self.ms });
  const queue = [...(children.get(self.pid) ?? [])];
  for (let info = queue.shift(); info; info = queue.shift()) {
    const part = partOf(info.command);
    if (part) snapshot.set(info.pid, { part, ms: info.ms });
    queue.push(...(children.get(info.pid) ?? []));
  }
  return snapshot;
}

/**
 * CPU milliseconds per part between two snapshots. A process that started in between counts
 * from zero; one that ended in between is missing from `after` and is not counted.
 */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const [pid, { part, ms }] of after) {
    const spent = ms - (before.get(pid)?.ms ?? 0);
    parts[part] = (parts[part] ?? 0) + Math.max(0, spent);
  }
  return parts;
}

/** CPU milliseconds per part divided over `count` requests (or emails), to hundredths. */
export function cpuPer(parts: Record<string, number>, count: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(parts).map(([part, ms]) => [part, Math.round((ms / count) * 100) / 100]),
  );
}

/** All parts together. */
export const cpuTotal = (parts: Record<string, number>): number =>
  Object.values(parts).reduce((sum, ms) => sum + ms, 0);

/** Names the processes under the runtime: DynamoDB Local, or the function a worker runs. */
export function runtimeParts(
  functions: { name: string; codeDirectory: string }[],
): (command: string) => string | undefined {
  return (command) => {
    if (command.includes('DynamoDBLocal.jar')) return DYNAMODB_PART;
    if (!command.includes('lambda-worker')) return undefined;
    const fn = functions.find((f) => command.includes(f.codeDirectory));
    return `function ${fn?.name ?? '?'}`;
  };
}
