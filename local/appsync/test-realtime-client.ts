import WebSocket from 'ws';

/** A message of the AppSync real-time protocol. */
export type RealtimeMessage = { type: string; id?: string; payload?: unknown };

/** A minimal AppSync real-time client for tests, speaking the protocol as aws-amplify v6 does. */
export class TestRealtimeClient {
  readonly messages: RealtimeMessage[] = [];
  closeCode: number | undefined;
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as RealtimeMessage);
      this.wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Connects with the v6 subprotocol form (or the query-parameter form) and waits for open or close. */
  static async connect(
    realtimeUrl: string,
    authHeader: Record<string, unknown>,
    form: 'subprotocol' | 'query' = 'subprotocol',
  ): Promise<TestRealtimeClient> {
    const encoded = Buffer.from(JSON.stringify(authHeader));
    const socket =
      form === 'subprotocol'
        ? new WebSocket(realtimeUrl, ['graphql-ws', `header-${encoded.toString('base64url')}`])
        : new WebSocket(
            `${realtimeUrl}?header=${encodeURIComponent(encoded.toString('base64'))}&payload=e30=`,
            ['graphql-ws'],
          );
    const client = new TestRealtimeClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('close', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Waits until a message matches, or fails after timeoutMs. */
  async waitFor(
    match: (m: RealtimeMessage) => boolean,
    timeoutMs = 5000,
  ): Promise<RealtimeMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `No matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the server closes the socket. */
  async closed(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    if (this.closeCode === undefined) throw new Error('The socket was not closed');
    return this.closeCode;
  }

  async init(): Promise<void> {
    this.socket.send(JSON.stringify({ type: 'connection_init' }));
    await this.waitFor((m) => m.type === 'connection_ack');
  }

  /** Sends `start` and resolves with start_ack or the error message. */
  async subscribe(
    id: string,
    query: string,
    variables: Record<string, unknown>,
    authorization: Record<string, unknown>,
  ): Promise<RealtimeMessage> {
    this.socket.send(
      JSON.stringify({
        id,
        type: 'start',
        payload: { data: JSON.stringify({ query, variables }), extensions: { authorization } },
      }),
    );
    return this.waitFor((m) => m.id === id && (m.type === 'start_ack' || m.type === 'error'));
  }

  /** The data payloads received for a subscription id. */
  dataFor(id: string): unknown[] {
    return this.messages.filter((m) => m.id === id && m.type === 'data').map((m) => m.payload);
  }

  close(): void {
    this.socket.terminate();
  }
}
