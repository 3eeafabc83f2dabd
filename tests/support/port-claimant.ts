import net from 'node:net';
import { freePort } from '../../local/process-utils';

/**
 * A process that takes ports the way a runtime on fresh ports does, binds every one of them and
 * reports them (`PORTS [..]`), then holds them until it is killed: the other side of a race.
 */
const count = Number(process.argv[2] ?? 6);
const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
const bound = await Promise.all(
  ports.map(
    (port) =>
      new Promise<boolean>((resolve) => {
        const server = net.createServer();
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => resolve(true));
      }),
  ),
);
process.stdout.write(`PORTS ${JSON.stringify({ ports, bound })}\n`);
setInterval(() => {}, 60_000);
