import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

/** One subscription over the AppSync real-time protocol, connected the way aws-amplify v6 does. */
export type RealtimeSubscription = {
  /** Payloads received so far (the `data` of each `data` message). */
  events: Record<string, unknown>[];
  /** Errors the server sent for the subscription. */
  errors: unknown[];
  /** Resolves with the first event matching the predicate, or rejects after timeoutMs. */
  next: (
    predicate: (event: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ) => Promise<Record<string, unknown>>;
  close: () => void;
};

const header = (graphqlUrl: string, token: string) => ({
  host: new URL(graphqlUrl).host,
  Authorization: token,
});

/** Opens a WebSocket with the v6 subprotocol handshake; rejects if the server refuses it. */
export async function openRealtime(
  realtimeUrl: string,
  graphqlUrl: string,
  token: string,
): Promise<WebSocket> {
  const encoded = Buffer.from(JSON.stringify(header(graphqlUrl, token))).toString('base64url');
  const socket = new WebSocket(realtimeUrl, ['graphql-ws', `header-${encoded}`]);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connection_ack within 5 s')), 5000);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        clearTimeout(timer);
        resolve();
      } else if (message.type === 'connection_error') {
        clearTimeout(timer);
        reject(new Error(`connection_error: ${JSON.stringify(message.payload)}`));
      }
    });
    socket.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`handshake refused with HTTP ${res.statusCode}`));
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`closed with ${code} before connection_ack`));
    });
  });
  return socket;
}

/** Starts a subscription on an open socket and waits for start_ack (or its error). */
export async function subscribe(
  socket: WebSocket,
  graphqlUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<RealtimeSubscription> {
  const id = randomUUID();
  const events: Record<string, unknown>[] = [];
  const errors: unknown[] = [];
  const waiters: (() => void)[] = [];
  const acked = new Promise<void>((resolve, reject) => {
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as {
        id?: string;
        type: string;
        payload?: { data?: Record<string, unknown>; errors?: unknown[] };
      };
      if (message.id !== id) return;
      if (message.type === 'start_ack') resolve();
      else if (message.type === 'error') {
        errors.push(...(message.payload?.errors ?? [message.payload]));
        reject(new Error(`subscription refused: ${JSON.stringify(message.payload)}`));
      } else if (message.type === 'data' && message.payload?.data) {
        events.push(message.payload.data);
        waiters.splice(0).forEach((w) => w());
      }
    });
  });
  socket.send(
    JSON.stringify({
      id,
      type: 'start',
      payload: {
        data: JSON.stringify({ query, variables }),
        extensions: { authorization: header(graphqlUrl, token) },
      },
    }),
  );
  await Promise.race([
    acked,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('no start_ack within 5 s')), 5000),
    ),
  ]);
  return {
    events,
    errors,
    next: (predicate, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(check);
        };
        const timer = setTimeout(
          () => reject(new Error(`no matching event within ${timeoutMs} ms`)),
          timeoutMs,
        );
        check();
      }),
    close: () => socket.send(JSON.stringify({ id, type: 'stop' })),
  };
}
