import { z } from 'zod';
import { DomainError } from '../errors';
import { parseInput } from '../parse-input';
import type { Caller, Clock, InboxStore } from '../ports';

/** How many ids one call may mark; the app marks a page at a time. */
const MAX_IDS = 100;
/** Notification ids are dedupe keys of a few ids; DynamoDB keys stop at 2 KB. */
const MAX_ID_LENGTH = 300;

const markSchema = z
  .object({
    ids: z
      .array(
        z
          .string()
          .min(1, 'may not be empty')
          .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`),
      )
      .max(MAX_IDS, `at most ${MAX_IDS}`)
      .nullish(),
    all: z.boolean().nullish(),
  })
  .strict();

/**
 * `markNotificationsRead`: sets readAt on the caller's own notifications — the given ids, or
 * every unread one with `all` — and returns how many changed. An id that is not the caller's
 * is NOT_FOUND, checked for all ids before anything is marked.
 */
export async function markNotificationsRead(
  deps: { clock: Clock; inbox: InboxStore },
  caller: Caller,
  args: unknown,
): Promise<number> {
  const input = parseInput(markSchema, args);
  const at = deps.clock.now().toISOString();
  if (input.all) {
    const unread = await deps.inbox.listUnread(caller.userId);
    let marked = 0;
    for (const notification of unread) {
      if (await deps.inbox.markRead(notification.id, caller.userId, at)) marked += 1;
    }
    return marked;
  }
  const ids = [...new Set(input.ids ?? [])];
  if (ids.length === 0) {
    throw new DomainError('VALIDATION', 'ids: give the notifications to mark, or all: true.', {
      field: 'ids',
      resolution: 'Pass the ids of your notifications, or all: true.',
    });
  }
  const found = await Promise.all(ids.map((id) => deps.inbox.get(id)));
  const foreign = ids.find((id, i) => found[i]?.recipientId !== caller.userId);
  if (foreign !== undefined) {
    // Someone else's notification is indistinguishable from a missing one.
    throw new DomainError('NOT_FOUND', `Notification ${foreign} was not found.`, {
      resolution: 'Reload your notifications; mark only your own.',
    });
  }
  let marked = 0;
  for (const id of ids) {
    if (await deps.inbox.markRead(id, caller.userId, at)) marked += 1;
  }
  return marked;
}
