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

/** A port the OS says is free right now (for tests that run the stack on fresh ports). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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
