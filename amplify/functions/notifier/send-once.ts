import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock, Mailer, NotificationStore } from '../../../core/ports';
import type { NotificationRecord } from '../../../core/records';

/** How long a claimed delivery is reserved for the attempt that claimed it (the Lambda times out at 30 s). */
export const LEASE_MS = 2 * 60_000;

/**
 * Claims the delivery `record.id` (the dedupe key), announces it in the app while it sends the email, and
 * marks it SENT; a delivery already SENT sends nothing, one held by another attempt or a failed
 * send throws so the stream record is retried.
 */
export async function sendOnce(
  deps: {
    clock: Clock;
    notifications: NotificationStore;
    mailer: Mailer;
    mailFrom: string;
    logger: Logger;
  },
  record: NotificationRecord,
  email: { to: string; subject: string; html: string; text: string },
  /** Absent for invitations: nobody has a session to push to yet. */
  announce?: (record: NotificationRecord) => Promise<void>,
): Promise<void> {
  const now = deps.clock.now();
  let announced: Promise<void> | undefined;
  const claim = await deps.notifications.claim(
    record,
    new Date(now.getTime() + LEASE_MS).toISOString(),
  );
  switch (claim) {
    case 'SENT':
      deps.logger.info('already sent', { dedupeKey: record.id });
      return;
    case 'BUSY':
      throw new Error(`Delivery ${record.id} is held by another attempt`);
    case 'CLAIMED':
      // The in-app record exists now: tell the recipient's open sessions as the email goes. The
      // push is best effort and may wait seconds on a busy API; the email does not wait for it.
      announced = announce?.(record);
      break;
    default: {
      const unexpected: never = claim;
      throw new Error(`Unexpected claim outcome ${String(unexpected)}`);
    }
  }
  try {
    let messageId: string;
    try {
      ({ messageId } = await deps.mailer.send({ from: deps.mailFrom, ...email }));
    } catch (err) {
      // Leave it retryable: FAILED and unleased, so the redelivered record claims it again.
      await deps.notifications.markFailed(
        record.id,
        err instanceof Error ? err.message : String(err),
        deps.clock.now().toISOString(),
      );
      throw err;
    }
    await deps.notifications.markSent(record.id, messageId, deps.clock.now().toISOString());
    deps.logger.info('sent', { dedupeKey: record.id, messageId });
  } finally {
    // Never left running when the invocation returns (announce logs its own failures).
    await announced;
  }
}
