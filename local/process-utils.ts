import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import net from 'node:net';

/** A clear, typed failure of the local runtime, with what to do about it. */
export class LocalRuntimeError extends Error {
  constructor(
    message: string,
    readonly resolution: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LocalRuntimeError';
  }
}

/** Resolves when nothing listens on host:port; rejects with a clear message otherwise. */
export async function assertPortFree(
  port: number,
  service: string,
  host = '127.0.0.1',
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new LocalRuntimeError(
          `Port ${port} (${service}) is already in use${err.code ? ` (${err.code})` : ''}.`,
          `Stop whatever listens on ${host}:${port} (\`lsof -i :${port}\`), or start with STEWARD_PORT_BASE set to another base port.`,
          { cause: err },
        ),
      );
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/**
 * Ports handed out for runtimes on fresh ports (tests, benchmarks) come from blocks below the
 * OS's ephemeral range (Linux 32768+, macOS 49152+), so no outgoing connection of any process is
 * ever given one as its local port, and the default ports (20000+) stay clear.
 */
export const PORT_BLOCKS = { first: 22_000, size: 50, count: 200 } as const;

/** A block of ports this process holds: its first port is the lock, the others are handed out. */
type HeldBlock = { start: number; lock: net.Server; next: number };

let held: HeldBlock | undefined;
let allocating: Promise<unknown> = Promise.resolve();

/** Listens on host:port and resolves with the server, or undefined if the port is taken. */
async function listenOn(port: number, host = '127.0.0.1'): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}

/**
 * Takes a block no other process holds. The lock is a socket listening on the block's first port:
 * the OS lets only one process bind it, and releases it when that process ends however it ends
 * (kill -9 included), so there is no stale lock to clean up.
 */
async function reserveBlock(): Promise<HeldBlock> {
  // Start at a place that differs between the parallel processes, to make probing short.
  const offset = (process.pid + Number(process.env.VITEST_POOL_ID ?? 0) * 7) % PORT_BLOCKS.count;
  for (let i = 0; i < PORT_BLOCKS.count; i += 1) {
    const start = PORT_BLOCKS.first + ((offset + i) % PORT_BLOCKS.count) * PORT_BLOCKS.size;
    const lock = await listenOn(start);
    if (!lock) continue;
    // The lock must not keep this process alive.
    lock.unref();
    return { start, lock, next: start + 1 };
  }
  throw new LocalRuntimeError(
    `No free block of ${PORT_BLOCKS.size} ports between ${PORT_BLOCKS.first} and ${PORT_BLOCKS.first + PORT_BLOCKS.size * PORT_BLOCKS.count}.`,
    'Too many local runtimes run at once, or something else listens there: stop some of them.',
  );
}

/**
 * A port for a service started on fresh ports (tests, benchmarks). It comes from a block this
 * process holds, so two processes starting at the same time can never be handed the same port
 * (a port picked free by one and bound first by another was an EADDRINUSE in CI); a port of the
 * block that something else already listens on is skipped.
 */
export async function freePort(): Promise<number> {
  const next = allocating.then(async () => {
    for (;;) {
      if (!held || held.next >= held.start + PORT_BLOCKS.size) held = await reserveBlock();
      const port = held.next;
      held.next += 1;
      const probe = await listenOn(port);
      if (!probe) continue;
      await new Promise((resolve) => probe.close(resolve));
      return port;
    }
  });
  allocating = next.catch(() => undefined);
  return next;
}

/** Gives the block this process holds back (for tests of the reservation). */
export async function releasePorts(): Promise<void> {
  await allocating;
  const block = held;
  held = undefined;
  if (block) await new Promise((resolve) => block.lock.close(resolve));
}

/** Polls until a TCP connection to host:port succeeds, or fails after timeoutMs. */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  host = '127.0.0.1',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) {
      throw new LocalRuntimeError(
        `Nothing answered on ${host}:${port} within ${timeoutMs} ms.`,
        'Look at the log lines above for the service that failed to start.',
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A child process that is killed with its whole process group when stopped. */
export type ManagedProcess = {
  child: ChildProcess;
  /** The last lines it printed (stdout and stderr), for error messages. */
  output: () => string;
  stop: () => Promise<void>;
};

/** Spawns a long-running child in its own process group and keeps its recent output. */
export function spawnManaged(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): ManagedProcess {
  const child = spawn(command, args, {
    ...options,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n'));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // If the parent dies abruptly, take the child down too.
  const onExit = () => {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', onExit);
  return {
    child,
    output: () => lines.join('\n'),
    stop: async () => {
      process.removeListener('exit', onExit);
      if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
