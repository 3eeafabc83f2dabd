import type { Logger } from '@aws-lambda-powertools/logger';
import type { Mailer, NotificationStore, OutgoingEmail } from '../../../core/ports';
import type { NotificationRecord } from '../../../core/records';
import { LEASE_MS } from './send-once';

/** Time kept in hand before the invocation's deadline: no wait runs into it. */
export const RESERVE_MS = 5_000;
/** A claim's lease outlives the invocation that took it by this much, no more. */
export const LEASE_SLACK_MS = 1_000;

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The time the current invocation has left. The handler starts it with the Lambda context on
 * every invocation; before that (unit tests, direct calls) there is no time to wait at all.
 */
export class InvocationBudget {
  private deadline: number | undefined;

  /** Starts the budget of a new invocation; without a context (a direct call) there is none. */
  start(context: { getRemainingTimeInMillis(): number } | undefined): void {
    this.deadline = context ? Date.now() + context.getRemainingTimeInMillis() : undefined;
  }

  /** When the invocation times out (epoch ms), if known. */
  deadlineMs(): number | undefined {
    return this.deadline;
  }

  /** How long may still be spent waiting: up to RESERVE_MS before the deadline. */
  room(): number {
    return this.deadline === undefined ? 0 : Math.max(0, this.deadline - RESERVE_MS - Date.now());
  }
}

/** SES answers that may well succeed a little later: throttling, 5xx, a dropped connection. */
export function isTransient(err: unknown): boolean {
  const error = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = error?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  if (
    ['TooManyRequestsException', 'ThrottlingException', 'TimeoutError'].includes(error?.name ?? '')
  )
    return true;
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(
    error?.code ?? '',
  );
}

/**
 * A mailer that rides out a short SES outage inside the invocation: transient failures are
 * retried with backoff (0.5 s doubling to 4 s) while the budget has room, so an outage of tens of
 * seconds costs a few invocations of the stream's retries instead of discarded records.
 */
export class PatientMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly budget: InvocationBudget,
    private readonly logger: Logger,
    private readonly sleep: Sleep = realSleep,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.inner.send(email);
      } catch (err) {
        const delay = Math.min(500 * 2 ** (attempt - 1), 4_000);
        if (!isTransient(err) || delay > this.budget.room()) throw err;
        this.logger.warn('SES failed; trying again', {
          attempt,
          delayMs: delay,
          error: err as Error,
        });
        await this.sleep(delay);
      }
    }
  }
}

/** A notification store whose lease ends when the claiming invocation surely has. */
export type LeasedNotificationStore = NotificationStore & {
  /** The lease of an unsent delivery, if it has one. */
  leaseOf(id: string): Promise<string | undefined>;
};

/**
 * Claims that survive a crashed attempt. Each claim is leased only until the claiming
 * invocation's deadline (+ LEASE_SLACK_MS), and a claim found BUSY under a lease that ends while
 * this invocation has room is waited for and taken over; one whose lease ends later is waited
 * for as long as there is room, so the stream's next retry starts closer to its end. A lease no
 * attempt could hold (further ahead than LEASE_MS) is reported BUSY at once.
 */
export class PatientNotificationStore implements NotificationStore {
  constructor(
    private readonly inner: LeasedNotificationStore,
    private readonly budget: InvocationBudget,
    private readonly logger: Logger,
    private readonly sleep: Sleep = realSleep,
  ) {}

  private lease(requested: string): string {
    const deadline = this.budget.deadlineMs();
    if (deadline === undefined) return requested;
    const ours = new Date(deadline + LEASE_SLACK_MS).toISOString();
    return ours < requested ? ours : requested;
  }

  async claim(record: NotificationRecord, leaseUntil: string) {
    let outcome = await this.inner.claim(record, this.lease(leaseUntil));
    while (outcome === 'BUSY') {
      const held = await this.inner.leaseOf(record.id);
      const waitMs = held ? Date.parse(held) - Date.now() + 50 : 0;
      const room = this.budget.room();
      if (!held || waitMs > LEASE_MS || room <= 0) return outcome;
      this.logger.warn('delivery held by an earlier attempt; waiting for its lease', {
        dedupeKey: record.id,
        waitMs,
      });
      await this.sleep(Math.min(waitMs, room));
      if (waitMs > room) return outcome;
      const now = new Date().toISOString();
      outcome = await this.inner.claim({ ...record, updatedAt: now }, this.lease(leaseUntil));
    }
    return outcome;
  }

  markSent(id: string, messageId: string, at: string): Promise<void> {
    return this.inner.markSent(id, messageId, at);
  }

  markFailed(id: string, error: string, at: string): Promise<void> {
    return this.inner.markFailed(id, error, at);
  }

  recordUnsent(record: NotificationRecord): Promise<'CREATED' | 'EXISTS'> {
    return this.inner.recordUnsent(record);
  }
}
