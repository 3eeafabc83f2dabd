import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { streamRecord } from '../shared/stream-images';
import { freshNotifier, notifierOverFakes } from './notifier-over-fakes';

const workOrder = {
  __typename: 'WorkOrder',
  id: 'wo-1',
  organizationId: 'org-1',
  number: 12,
  title: 'Boiler is noisy',
  status: 'NEW',
  priority: 'HIGH',
  version: 1,
};

const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const assignment = streamRecord(workOrder, {
  ...workOrder,
  status: 'ASSIGNED',
  assigneeId: 'tech-1',
  version: 2,
});

describe('notifier', () => {
  let { tables, notifications, mailer, handler } = freshNotifier();

  beforeEach(() => {
    ({ tables, notifications, mailer, handler } = freshNotifier());
    tables.addMember('org-1', 'tech-1', 'TECHNICIAN');
  });

  it('emails the new assignee and records the delivery as SENT', async () => {
    expect(await handler(batch(assignment))).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({
      from: 'steward@example.org',
      to: 'tech-1@example.org',
      subject: 'WO-12 assigned to you: Boiler is noisy',
    });
    expect(mailer.sent[0]?.text).toContain('http://localhost:5173/work-orders/wo-1');
    expect(notifications.records.get('assigned:wo-1:2:tech-1')).toEqual({
      id: 'assigned:wo-1:2:tech-1',
      organizationId: 'org-1',
      recipientId: 'tech-1',
      recipient: 'tech-1',
      email: 'tech-1@example.org',
      kind: 'WORK_ORDER_ASSIGNED',
      subject: 'WO-12 assigned to you: Boiler is noisy',
      link: 'http://localhost:5173/work-orders/wo-1',
      status: 'SENT',
      attempts: 1,
      messageId: 'msg-1',
      createdAt: '2026-03-01T12:00:00.000Z',
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
  });

  it('stores the bare sub as owner value, whatever username the membership recorded', async () => {
    // The token's username is the sub (email sign-in); `<sub>::<email>` would hide the record.
    const member = tables.addMember('org-1', 'tech-1', 'TECHNICIAN');
    tables.memberRows.set(member.id, { ...member, username: 'sam@example.org' });
    await handler(batch(assignment));
    expect(notifications.records.get('assigned:wo-1:2:tech-1')?.recipient).toBe('tech-1');
  });

  it('sends once however often the record is redelivered', async () => {
    await handler(batch(assignment));
    await handler(batch(assignment, assignment));
    expect(mailer.sent).toHaveLength(1);
  });

  it('reports a failed send for retry and sends on the retry', async () => {
    mailer.failNext = 1;
    const other = streamRecord(workOrder, { ...workOrder, title: 'Renamed' });
    expect(await handler(batch(other, assignment))).toEqual({
      batchItemFailures: [{ itemIdentifier: assignment.dynamodb?.SequenceNumber }],
    });
    expect(notifications.records.get('assigned:wo-1:2:tech-1')).toMatchObject({
      status: 'FAILED',
      attempts: 1,
    });
    expect(await handler(batch(assignment))).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(1);
    expect(notifications.records.get('assigned:wo-1:2:tech-1')).toMatchObject({
      status: 'SENT',
      attempts: 2,
    });
  });

  it('retries later while another attempt holds the delivery', async () => {
    await notifications.claim(
      {
        id: 'assigned:wo-1:2:tech-1',
        organizationId: 'org-1',
        recipientId: 'tech-1',
        recipient: 'tech-1::tech-1',
        kind: 'WORK_ORDER_ASSIGNED',
        subject: 's',
        status: 'PENDING',
        attempts: 1,
        createdAt: '2026-03-01T11:59:00.000Z',
        updatedAt: '2026-03-01T11:59:00.000Z',
      },
      '2026-03-01T12:01:00.000Z',
    );
    expect((await handler(batch(assignment))).batchItemFailures).toHaveLength(1);
    expect(mailer.sent).toHaveLength(0);
  });

  it.each([
    [
      'an assignee who is no longer active',
      () => tables.addMember('org-1', 'tech-1', 'TECHNICIAN', 'SUSPENDED'),
    ],
    ['an assignee of another organization only', () => tables.memberRows.clear()],
  ])('skips %s without failing', async (_name, arrange) => {
    arrange();
    expect(await handler(batch(assignment))).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(0);
  });

  it('emails the requester once when their request is completed by someone else', async () => {
    tables.addMember('org-1', 'req-1', 'MEMBER');
    const before = {
      ...workOrder,
      requesterId: 'req-1',
      assigneeId: 'tech-1',
      status: 'IN_PROGRESS',
      version: 4,
    };
    const completed = streamRecord(before, {
      ...before,
      status: 'COMPLETED',
      version: 5,
      updatedBy: 'tech-1',
      completionNotes: 'New valve fitted',
    });
    await handler(batch(completed, completed));
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({
      to: 'req-1@example.org',
      subject: 'Your request WO-12 is completed: Boiler is noisy',
    });
    expect(mailer.sent[0]?.text).toContain('New valve fitted');
  });

  it('sends no work-order email for membership records, whatever they contain', async () => {
    tables.addMember('org-1', 'req-1', 'MEMBER');
    const member = {
      __typename: 'OrganizationMember',
      id: 'org-1#tech-1',
      organizationId: 'org-1',
      userId: 'tech-1',
      email: 'tech-1@example.org',
      role: 'TECHNICIAN',
      status: 'INVITED',
    };
    const joined = streamRecord(member, {
      ...member,
      status: 'ACTIVE',
      assigneeId: 'tech-1',
      requesterId: 'req-1',
      version: 2,
    });
    expect(await handler(batch(streamRecord(undefined, member), joined))).toEqual({
      batchItemFailures: [],
    });
    expect(mailer.sent.filter((m) => /WO-|request/i.test(m.subject))).toHaveLength(0);
  });

  it('ignores changes that notify nobody and removals', async () => {
    const removal = streamRecord(workOrder, undefined);
    const insert = streamRecord(undefined, workOrder);
    expect(await handler(batch(removal, insert))).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(0);
  });
});

describe('notifier: live in-app notifications', () => {
  let { tables, mailer, live, handler } = freshNotifier();

  beforeEach(() => {
    ({ tables, mailer, live, handler } = freshNotifier());
    tables.addMember('org-1', 'tech-1', 'TECHNICIAN');
  });

  it('pushes the in-app notification to its recipient, without the email address', async () => {
    await handler(batch(assignment));
    expect(live.published).toEqual([
      {
        id: 'assigned:wo-1:2:tech-1',
        organizationId: 'org-1',
        recipientId: 'tech-1',
        kind: 'WORK_ORDER_ASSIGNED',
        subject: 'WO-12 assigned to you: Boiler is noisy',
        link: 'http://localhost:5173/work-orders/wo-1',
        createdAt: '2026-03-01T12:00:00.000Z',
      },
    ]);
  });

  it('pushes nothing again when a delivered batch comes back', async () => {
    await handler(batch(assignment));
    await handler(batch(assignment));
    await handler(batch(assignment));
    expect(live.published).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
  });

  it('still sends the email, and fails nothing, when the push fails', async () => {
    live.failNext = 1;
    expect(await handler(batch(assignment))).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(1);
    expect(tables.notifications.records.get('assigned:wo-1:2:tech-1')?.status).toBe('SENT');
  });

  it('pushes before the email goes, so a mail outage does not delay the bell', async () => {
    mailer.failNext = 1;
    const result = await handler(batch(assignment));
    expect(result.batchItemFailures).toHaveLength(1);
    expect(live.published.map((n) => n.id)).toEqual(['assigned:wo-1:2:tech-1']);
    expect(mailer.sent).toHaveLength(0);
  });

  it('sends the email while a slow push is still under way', async () => {
    let release = () => {};
    const pushing = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const slow = {
      published: [] as unknown[],
      async publish(notification: unknown) {
        order.push('push started');
        await pushing;
        order.push('push done');
        this.published.push(notification);
      },
    };
    const send = mailer.send.bind(mailer);
    mailer.send = async (email) => {
      order.push('email sent');
      release();
      return send(email);
    };
    handler = notifierOverFakes(tables, tables.notifications, mailer, slow as never);
    expect(await handler(batch(assignment))).toEqual({ batchItemFailures: [] });
    expect(order).toEqual(['push started', 'email sent', 'push done']);
    expect(slow.published).toHaveLength(1);
  });

  it('pushes an in-app notification whose email the recipient turned off', async () => {
    tables.profileRows.set('tech-1', {
      id: 'tech-1',
      email: 'tech-1@example.org',
      preferences: { assignment: false, statusChanges: true, lowStock: true },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    await handler(batch(assignment));
    await handler(batch(assignment));
    expect(mailer.sent).toHaveLength(0);
    expect(live.published.map((n) => n.recipientId)).toEqual(['tech-1']);
  });
  it('sends one email at a time, in stream order, so a crash can repeat at most the one in flight', async () => {
    tables.addMember('org-1', 'tech-2', 'TECHNICIAN');
    const steps: string[] = [];
    const send = mailer.send.bind(mailer);
    mailer.send = async (email) => {
      steps.push(`start ${email.subject}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      steps.push(`end ${email.subject}`);
      return send(email);
    };
    const keyed = (record: DynamoDBRecord, id: string): DynamoDBRecord => ({
      ...record,
      dynamodb: { ...record.dynamodb, Keys: marshall({ id }) as never },
    });
    const other = { ...workOrder, id: 'wo-2', number: 13, title: 'Door sticks' };
    const first = keyed(assignment, 'wo-1');
    const reassigned = keyed(
      streamRecord(
        { ...workOrder, status: 'ASSIGNED', assigneeId: 'tech-1', version: 2 },
        { ...workOrder, status: 'ASSIGNED', assigneeId: 'tech-2', version: 3 },
      ),
      'wo-1',
    );
    const elsewhere = keyed(
      streamRecord(other, { ...other, status: 'ASSIGNED', assigneeId: 'tech-2', version: 2 }),
      'wo-2',
    );
    expect(await handler(batch(first, reassigned, elsewhere))).toEqual({ batchItemFailures: [] });
    expect(mailer.sent).toHaveLength(3);
    // Never two sends in flight, and the records' order kept.
    expect(steps).toEqual([
      'start WO-12 assigned to you: Boiler is noisy',
      'end WO-12 assigned to you: Boiler is noisy',
      'start WO-12 assigned to you: Boiler is noisy',
      'end WO-12 assigned to you: Boiler is noisy',
      'start WO-13 assigned to you: Door sticks',
      'end WO-13 assigned to you: Door sticks',
    ]);
    expect(mailer.sent.map((email) => email.to)).toContain('tech-2@example.org');
  });

  it('tells each triager of a new HIGH request once, however often the record is redelivered', async () => {
    tables.addMember('org-1', 'manager-1', 'MANAGER');
    tables.addMember('org-1', 'owner-1', 'OWNER');
    tables.addMember('org-1', 'member-1', 'MEMBER');
    tables.addMember('org-2', 'manager-2', 'MANAGER');
    const submitted = streamRecord(undefined, { ...workOrder, requesterId: 'member-1' });
    expect(await handler(batch(submitted, submitted))).toEqual({ batchItemFailures: [] });
    await handler(batch(submitted));
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([
      'manager-1@example.org',
      'owner-1@example.org',
    ]);
    expect(mailer.sent[0]?.subject).toBe('New request WO-12 (High priority): Boiler is noisy');
  });
});
