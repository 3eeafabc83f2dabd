/** What the bench runner sends to the load worker, and what it answers. */

/** One HTTP call: a GraphQL operation, or a raw DynamoDB operation (for the floors). */
export type Step =
  | {
      kind: 'graphql';
      url: string;
      token: string;
      query: string;
      variables: Record<string, unknown>;
    }
  | {
      kind: 'dynamodb';
      url: string;
      /** The operation, e.g. `Query` (sent as `DynamoDB_20120810.Query`). */
      target: string;
      /** The JSON request body, already marshalled. */
      body: string;
      /** Filled in by the worker for a Query: items returned, items read, capacity consumed. */
      observed?: { count: number; scanned: number; capacity: number };
    };

/** A request: its steps run one after the other; `at` is its send time, ms after the start. */
export type Request = { tag: string; at: number; steps: Step[] };

export type LoadJob = { mode: 'load'; requests: Request[]; timeoutMs: number };

export type SubscriptionJob = {
  mode: 'subscriptions';
  realtimeUrl: string;
  graphqlUrl: string;
  subscription: string;
  subscribers: { token: string; organizationId: string }[];
  mutations: {
    at: number;
    token: string;
    organizationId: string;
    query: string;
    variables: Record<string, unknown>;
  }[];
  timeoutMs: number;
  /** How long to keep listening after the last acknowledgement. */
  settleMs: number;
};

export type BurstJob = {
  mode: 'burst';
  graphqlUrl: string;
  /** The mailbox's append-only file (`<data>/mail/mail.jsonl`). */
  mailFile: string;
  /** Each mutation carries a marker that its email will contain. */
  mutations: { marker: string; token: string; query: string; variables: Record<string, unknown> }[];
  timeoutMs: number;
  waitMs: number;
  pollMs: number;
};

export type WorkerMessage = LoadJob | SubscriptionJob | BurstJob;

/** One finished request of a load job. */
export type Outcome = {
  tag: string;
  /** From the scheduled send time to the answer: includes any wait for the load generator. */
  latencyMs: number;
  /** From the actual send to the answer. */
  serviceMs: number;
  /** When the answer came, from the start of the run (the first scheduled send). */
  answeredAtMs: number;
  error?: string;
  observed?: { count: number; scanned: number; capacity: number };
};

export type SubscriptionResult = {
  subscribers: string[];
  acks: { id: string; organizationId: string; at: number; error?: string }[];
  received: { subscriber: number; organizationId: string; id: string; at: number }[];
};

export type BurstResult = {
  ackedAllMs: number;
  results: {
    marker: string;
    ackMs?: number;
    error?: string;
    ackToMailMs?: number;
    sendToMailMs?: number;
  }[];
};
