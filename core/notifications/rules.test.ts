import { describe, expect, it } from 'vitest';
import { buildEmail, emailWorkOrderFrom, notificationsFor } from './rules';

const base = {
  __typename: 'WorkOrder',
  id: 'wo-1',
  organizationId: 'org-1',
  number: 7,
  title: 'Boiler <noisy>',
  version: 2,
};

describe('notificationsFor', () => {
  it.each([
    [
      'a new assignee',
      { ...base, version: 1 },
      { ...base, assigneeId: 'u-1' },
      ['assigned:wo-1:2:u-1'],
    ],
    [
      'a changed assignee',
      { ...base, version: 2, assigneeId: 'u-1' },
      { ...base, version: 3, assigneeId: 'u-2' },
      ['assigned:wo-1:3:u-2'],
    ],
    [
      'an insert with an assignee',
      undefined,
      { ...base, assigneeId: 'u-1' },
      ['assigned:wo-1:2:u-1'],
    ],
    [
      'the same assignee',
      { ...base, assigneeId: 'u-1' },
      { ...base, version: 3, assigneeId: 'u-1' },
      [],
    ],
    ['an unassignment', { ...base, assigneeId: 'u-1' }, { ...base, version: 3 }, []],
    ['an insert without assignee', undefined, base, []],
    ['a removal', { ...base, assigneeId: 'u-1' }, undefined, []],
    [
      'an image without organization',
      undefined,
      { __typename: 'WorkOrder', id: 'wo-1', assigneeId: 'u-1' },
      [],
    ],
    [
      'an item without typename',
      undefined,
      { ...base, __typename: undefined, assigneeId: 'u-1' },
      [],
    ],
  ])('on %s', (_name, oldImage, newImage, keys) => {
    const planned = notificationsFor(oldImage, newImage);
    expect(planned.map((n) => n.dedupeKey)).toEqual(keys);
    for (const n of planned) {
      expect(n).toMatchObject({
        kind: 'WORK_ORDER_ASSIGNED',
        workOrderId: 'wo-1',
        organizationId: 'org-1',
      });
    }
  });

  it('gives the same dedupeKey for a redelivered record', () => {
    const oldImage = { ...base, version: 1 };
    const newImage = { ...base, assigneeId: 'u-1' };
    expect(notificationsFor(oldImage, newImage)).toEqual(notificationsFor(oldImage, newImage));
  });
});

/** A status change of a work order requested by `req-1`, made by `actor`. */
const step = (
  from: string,
  to: string,
  actor: string,
  extra: Record<string, unknown> = {},
): [Record<string, unknown>, Record<string, unknown>] => [
  { ...base, requesterId: 'req-1', status: from, assigneeId: 'tech-1', version: 4 },
  {
    ...base,
    requesterId: 'req-1',
    status: to,
    assigneeId: 'tech-1',
    version: 5,
    updatedBy: actor,
    ...extra,
  },
];

describe('notificationsFor the requester', () => {
  it.each([
    ['assigned by a manager', step('NEW', 'ASSIGNED', 'mgr-1', {}), ['REQUEST_ASSIGNED']],
    [
      'completed by the technician',
      step('IN_PROGRESS', 'COMPLETED', 'tech-1'),
      ['REQUEST_COMPLETED'],
    ],
    ['closed by a manager', step('COMPLETED', 'CLOSED', 'mgr-1'), ['REQUEST_CLOSED']],
    ['closed by the requester (a manager) themselves', step('COMPLETED', 'CLOSED', 'req-1'), []],
    ['completed by the requester themselves', step('IN_PROGRESS', 'COMPLETED', 'req-1'), []],
    [
      'completed without updatedBy, by the requester (completedBy)',
      step('IN_PROGRESS', 'COMPLETED', 'x', { updatedBy: undefined, completedBy: 'req-1' }),
      [],
    ],
    ['started', step('ASSIGNED', 'IN_PROGRESS', 'tech-1'), []],
    ['put on hold', step('IN_PROGRESS', 'ON_HOLD', 'tech-1'), []],
    ['rejected', step('COMPLETED', 'IN_PROGRESS', 'mgr-1'), []],
    ['cancelled', step('NEW', 'CANCELLED', 'mgr-1'), []],
    ['a change without a status change', step('ASSIGNED', 'ASSIGNED', 'mgr-1'), []],
    [
      'taken by the requester (a technician) for themselves',
      step('NEW', 'ASSIGNED', 'req-1', { assigneeId: 'req-1' }),
      ['WORK_ORDER_ASSIGNED'],
    ],
    [
      'assigned by a manager to the requester',
      step('NEW', 'ASSIGNED', 'mgr-1', { assigneeId: 'req-1' }),
      ['WORK_ORDER_ASSIGNED'],
    ],
    [
      'a membership record (another table on the same stream consumer)',
      [
        { __typename: 'OrganizationMember', id: 'm', organizationId: 'org-1', status: 'INVITED' },
        {
          __typename: 'OrganizationMember',
          id: 'm',
          organizationId: 'org-1',
          userId: 'req-1',
          requesterId: 'req-1',
          assigneeId: 'req-1',
          status: 'CLOSED',
          version: 2,
        },
      ],
      [],
    ],
  ] as const)('when %s', (_name, [oldImage, newImage], kinds) => {
    const planned = notificationsFor(oldImage, newImage);
    expect(planned.map((n) => n.kind)).toEqual(kinds);
    for (const n of planned.filter((p) => p.kind !== 'WORK_ORDER_ASSIGNED')) {
      expect(n).toMatchObject({
        recipientId: 'req-1',
        workOrderId: 'wo-1',
        organizationId: 'org-1',
      });
      expect(n.dedupeKey).toBe(`${n.kind}:wo-1:5:req-1`);
    }
  });

  it('also tells the new assignee when a manager assigns, each under its own key', () => {
    const [oldImage, newImage] = step('NEW', 'ASSIGNED', 'mgr-1', {});
    const planned = notificationsFor({ ...oldImage, assigneeId: undefined }, newImage);
    expect(planned.map((n) => [n.kind, n.recipientId, n.dedupeKey])).toEqual([
      ['WORK_ORDER_ASSIGNED', 'tech-1', 'assigned:wo-1:5:tech-1'],
      ['REQUEST_ASSIGNED', 'req-1', 'REQUEST_ASSIGNED:wo-1:5:req-1'],
    ]);
  });
});

describe('buildEmail', () => {
  const email = buildEmail({
    kind: 'WORK_ORDER_ASSIGNED',
    workOrder: emailWorkOrderFrom({
      ...base,
      priority: 'HIGH',
      description: 'Bangs at night & <b>',
    }),
    appUrl: 'http://localhost:5173/',
    recipientName: 'Sam',
  });

  it('links to the work order', () => {
    expect(email.link).toBe('http://localhost:5173/work-orders/wo-1');
    expect(email.text).toContain('http://localhost:5173/work-orders/wo-1');
    expect(email.html).toContain('href="http://localhost:5173/work-orders/wo-1"');
  });

  it('names the work order in the subject', () => {
    expect(email.subject).toBe('WO-7 assigned to you: Boiler <noisy>');
  });

  it('escapes HTML but not the plain text', () => {
    expect(email.html).toContain('Boiler &lt;noisy&gt;');
    expect(email.html).toContain('Bangs at night &amp; &lt;b&gt;');
    expect(email.html).not.toContain('<b>');
    expect(email.text).toContain('Bangs at night & <b>');
    expect(email.text).toContain('Priority: High');
    expect(email.text).not.toContain('HIGH');
  });
});

describe('buildEmail for requesters', () => {
  const workOrder = emailWorkOrderFrom({
    ...base,
    assigneeName: 'Tess',
    completionNotes: 'Replaced the <valve>',
  });
  it.each([
    ['REQUEST_ASSIGNED', 'Your request WO-7 is assigned: Boiler <noisy>', 'assigned to Tess'],
    ['REQUEST_COMPLETED', 'Your request WO-7 is completed: Boiler <noisy>', 'Replaced the <valve>'],
    ['REQUEST_CLOSED', 'Your request WO-7 is closed: Boiler <noisy>', 'checked and closed'],
  ] as const)('%s', (kind, subject, said) => {
    const email = buildEmail({ kind, workOrder, appUrl: 'http://localhost:5173' });
    expect(email.subject).toBe(subject);
    expect(email.text).toContain(said);
    expect(email.html).not.toContain('<valve>');
  });
});
