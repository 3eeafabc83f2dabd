import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import type { OutgoingEmail } from '../../../core/ports';
import type { NotificationRecord } from '../../../core/records';
import {
  InvocationBudget,
  isTransient,
  LEASE_SLACK_MS,
  type LeasedNotificationStore,
  PatientMailer,
  PatientNotificationStore,
} from './invocation-budget';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const email: OutgoingEmail = { from: 'a@x.org', to: 'b@x.org', subject: 's', html: 'h', text: 't' };
const unavailable = Object.assign(new Error('Service Unavailable'), {
  $metadata: { httpStatusCode: 503 },
});
const rejected = Object.assign(new Error('Email address is not verified'), {
  name: 'MessageRejected',
  $metadata: { httpStatusCode: 400 },
});
const budgetOf = (remainingMs: number | undefined) => {
  const budget = new InvocationBudget();
  budget.start(
    remainingMs === undefined ? undefined : { getRemainingTimeInMillis: () => remainingMs },
  );
  return budget;
};
const record = (updatedAt: string): NotificationRecord => ({
  id: 'assigned:wo-1:2:tech-1',
  organizationId: 'org-1',
  recipientId: 'tech-1',
  recipient: 'tech-1',
  kind: 'WORK_ORDER_ASSIGNED',
  subject: 's',
  status: 'PENDING',
  attempts: 1,
  createdAt: updatedAt,
  updatedAt,
});

/** Claims with the DynamoDB store's rule: free, or unsent with a lease that ended before `updatedAt`. */
class LeasedFake implements LeasedNotificationStore {
  lease: string | undefined;
  sent = false;
  readonly leases: string[] = [];
  async claim(r: NotificationRecord, leaseUntil: string) {
    if (this.sent) return 'SENT' as const;
    if (this.lease && this.lease >= r.updatedAt) return 'BUSY' as const;
    this.lease = leaseUntil;
    this.leases.push(leaseUntil);
    return 'CLAIMED' as const;
  }
  async leaseOf() {
    return this.sent ? undefined : this.lease;
  }
  async markSent() {
    this.sent = true;
  }
  async markFailed() {}
  async recordUnsent() {
    return 'CREATED' as const;
  }
}

describe('isTransient', () => {
  it.each([
    ['a 503', unavailable, true],
    ['a 429', Object.assign(new Error('slow down'), { $metadata: { httpStatusCode: 429 } }), true],
    [
      'a dropped connection',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      true,
    ],
    ['a rejected message', rejected, false],
    ['a plain error', new Error('bug'), false],
  ])('%s → %s', (_name, err, expected) => {
    expect(isTransient(err)).toBe(expected);
  });
});

describe('PatientMailer', () => {
  const failing = (failures: unknown[]) => ({
    calls: 0,
    async send() {
      this.calls += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return { messageId: `m-${this.calls}` };
    },
  });
  const noSleep = async () => {};

  it('rides out transient failures while the invocation has room', async () => {
    const inner = failing([unavailable, unavailable, unavailable]);
    const mailer = new PatientMailer(inner, budgetOf(30_000), logger, noSleep);
    expect(await mailer.send(email)).toEqual({ messageId: 'm-4' });
    expect(inner.calls).toBe(4);
  });

  it('gives up at once on a permanent failure', async () => {
    const inner = failing([rejected]);
    const mailer = new PatientMailer(inner, budgetOf(30_000), logger, noSleep);
    await expect(mailer.send(email)).rejects.toBe(rejected);
    expect(inner.calls).toBe(1);
  });

  it('does not wait without a budget (a direct call) or once the room is spent', async () => {
    for (const budget of [budgetOf(undefined), budgetOf(5_000)]) {
      const inner = failing([unavailable]);
      await expect(new PatientMailer(inner, budget, logger, noSleep).send(email)).rejects.toBe(
        unavailable,
      );
      expect(inner.calls).toBe(1);
    }
  });
});

describe('PatientNotificationStore', () => {
  const now = () => new Date().toISOString();
  const later = (ms: number) => new Date(Date.now() + ms).toISOString();

  it('leases a claim only until the invocation is surely over', async () => {
    const inner = new LeasedFake();
    // Read before the budget starts: its deadline is counted from its start.
    const before = Date.now();
    const store = new PatientNotificationStore(inner, budgetOf(30_000), logger);
    expect(await store.claim(record(now()), later(120_000))).toBe('CLAIMED');
    const lease = Date.parse(inner.leases[0] ?? '');
    expect(lease).toBeGreaterThanOrEqual(before + 30_000 + LEASE_SLACK_MS);
    expect(lease).toBeLessThanOrEqual(Date.now() + 30_000 + LEASE_SLACK_MS);
  });

  it('waits out the lease of a crashed attempt and takes the delivery over', async () => {
    const inner = new LeasedFake();
    inner.lease = later(300);
    const slept: number[] = [];
    const store = new PatientNotificationStore(inner, budgetOf(30_000), logger, async (ms) => {
      slept.push(ms);
      await new Promise((resolve) => setTimeout(resolve, ms));
    });
    expect(await store.claim(record(now()), later(120_000))).toBe('CLAIMED');
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeLessThanOrEqual(400);
  });

  it('reports BUSY at once for a lease no attempt could hold, or without a budget', async () => {
    const forever = new LeasedFake();
    forever.lease = '2999-01-01T00:00:00.000Z';
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
    };
    expect(
      await new PatientNotificationStore(forever, budgetOf(30_000), logger, sleep).claim(
        record(now()),
        later(120_000),
      ),
    ).toBe('BUSY');
    const held = new LeasedFake();
    held.lease = later(10_000);
    expect(
      await new PatientNotificationStore(held, budgetOf(undefined), logger, sleep).claim(
        record(now()),
        later(120_000),
      ),
    ).toBe('BUSY');
    expect(slept).toEqual([]);
  });

  it('spends its room waiting on a lease that ends later, so the next retry starts closer to it', async () => {
    const inner = new LeasedFake();
    inner.lease = later(28_000);
    const slept: number[] = [];
    const store = new PatientNotificationStore(inner, budgetOf(10_000), logger, async (ms) => {
      slept.push(ms);
    });
    expect(await store.claim(record(now()), later(120_000))).toBe('BUSY');
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(4_000);
    expect(slept[0]).toBeLessThanOrEqual(5_000);
  });
});
