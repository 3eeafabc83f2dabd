import { fork } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../local/paths';
import type {
  BurstJob,
  BurstResult,
  LoadJob,
  Outcome,
  SubscriptionJob,
  SubscriptionResult,
  WorkerMessage,
} from './load-protocol';

const WORKER = path.join(PROJECT_ROOT, 'bench', 'load-worker.ts');

/** Runs one job in a fresh load-generator process; returns what it measured and its CPU time. */
function inWorker<T>(job: WorkerMessage, limitMs: number): Promise<{ result: T; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], {
      cwd: PROJECT_ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the load generator did not finish within ${limitMs} ms`));
    }, limitMs);
    child.once(
      'message',
      (message: { ok: boolean; result?: T; cpuMs?: number; error?: string }) => {
        clearTimeout(timer);
        if (message.ok) resolve({ result: message.result as T, cpuMs: message.cpuMs ?? 0 });
        else reject(new Error(`the load generator failed: ${message.error}`));
      },
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the load generator exited with ${code}`));
    });
    child.send(job);
  });
}

export const runLoad = async (
  job: Omit<LoadJob, 'mode'>,
): Promise<{ outcomes: Outcome[]; cpuMs: number }> => {
  const lastAt = job.requests.reduce((max, r) => Math.max(max, r.at), 0);
  const { result, cpuMs } = await inWorker<Outcome[]>(
    { mode: 'load', ...job },
    lastAt + job.timeoutMs + 30_000,
  );
  return { outcomes: result, cpuMs };
};

export const runSubscriptionJob = (
  job: Omit<SubscriptionJob, 'mode'>,
): Promise<SubscriptionResult> => {
  const lastAt = job.mutations.reduce((max, r) => Math.max(max, r.at), 0);
  return inWorker<SubscriptionResult>(
    { mode: 'subscriptions', ...job },
    lastAt + job.timeoutMs + job.settleMs + 60_000,
  ).then(({ result }) => result);
};

export const runBurstJob = (job: Omit<BurstJob, 'mode'>): Promise<BurstResult> =>
  inWorker<BurstResult>({ mode: 'burst', ...job }, job.timeoutMs + job.waitMs + 60_000).then(
    ({ result }) => result,
  );

/**
 * Send times of an open model: `users` virtual users, each sending every `users / rate` seconds
 * from a random phase, for `durationMs`. Returns offsets in ms, sorted.
 */
export function arrivals(options: { users: number; rate: number; durationMs: number }): {
  at: number;
  user: number;
}[] {
  const interval = (options.users / options.rate) * 1000;
  const out: { at: number; user: number }[] = [];
  for (let user = 0; user < options.users; user++) {
    for (let at = Math.random() * interval; at < options.durationMs; at += interval) {
      out.push({ at, user });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}
