import { describe, expect, it } from 'vitest';
import { buildEmail, emailWorkOrderFrom, notificationsFor } from './rules';

const base = {
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
    ['an image without organization', undefined, { id: 'wo-1', assigneeId: 'u-1' }, []],
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
    expect(email.text).toContain('Priority: HIGH');
  });
});
