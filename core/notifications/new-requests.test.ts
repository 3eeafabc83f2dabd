import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../organizations/permissions';
import { ROLES, type Role } from '../organizations/roles';
import type { MemberRecord } from '../records';
import { wantsEmail } from './preferences';
import {
  buildNewRequestEmail,
  newRequestKey,
  newRequestOf,
  newRequestRecipients,
} from './new-requests';

const workOrder = (status: string, priority = 'MEDIUM', extra: object = {}) => ({
  __typename: 'WorkOrder',
  id: 'wo-1',
  organizationId: 'org-1',
  number: 7,
  title: 'Boiler leaking',
  status,
  priority,
  requesterId: 'requester',
  requesterName: 'Ruth Miller',
  ...extra,
});

const member = (userId: string, role: Role, extra: Partial<MemberRecord> = {}): MemberRecord => ({
  id: `org-1#${userId}`,
  organizationId: 'org-1',
  userId,
  email: `${userId}@example.org`,
  role,
  status: 'ACTIVE',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('newRequestOf', () => {
  it.each([
    ['submitted (no old image)', undefined, workOrder('NEW'), 'NEW_REQUEST'],
    ['a draft published', workOrder('DRAFT'), workOrder('NEW'), 'NEW_REQUEST'],
    ['submitted HIGH', undefined, workOrder('NEW', 'HIGH'), 'NEW_URGENT_REQUEST'],
    ['submitted URGENT', undefined, workOrder('NEW', 'URGENT'), 'NEW_URGENT_REQUEST'],
    ['saved as a draft', undefined, workOrder('DRAFT'), undefined],
    ['assigned', workOrder('NEW'), workOrder('ASSIGNED'), undefined],
    ['a NEW one changed again', workOrder('NEW'), workOrder('NEW'), undefined],
    [
      'an inventory item',
      undefined,
      { ...workOrder('NEW'), __typename: 'InventoryItem' },
      undefined,
    ],
  ])('%s', (_name, before, after, kind) => {
    expect(newRequestOf(before, after)?.kind).toBe(kind);
  });
});

describe('newRequestRecipients', () => {
  const request = { kind: 'NEW_REQUEST' as const, workOrderId: 'wo-1', organizationId: 'org-1' };

  it('is every ACTIVE member who may assign work, once each, by the permission matrix', () => {
    const members = ROLES.map((role) => member(role.toLowerCase(), role));
    const heard = newRequestRecipients(request, [...members, members[2] as MemberRecord]);
    const expected = ROLES.filter((role) => PERMISSIONS['workOrders.assign'].includes(role));
    expect(heard.map((m) => m.role)).toEqual(expected);
    expect(expected).toEqual(['OWNER', 'ADMIN', 'MANAGER']);
  });

  it('leaves out the requester, suspended, invited and other organizations’ members', () => {
    const heard = newRequestRecipients({ ...request, requesterId: 'self' }, [
      member('self', 'MANAGER'),
      member('away', 'MANAGER', { status: 'SUSPENDED' }),
      member('invited', 'ADMIN', { status: 'INVITED', userId: undefined }),
      member('foreign', 'OWNER', { organizationId: 'org-2' }),
      member('ok', 'ADMIN'),
    ]);
    expect(heard.map((m) => m.userId)).toEqual(['ok']);
  });

  it('keys each delivery by work order and recipient', () => {
    expect(newRequestKey(request, 'u1')).toBe('new-request:wo-1:u1');
  });
});

describe('new-request email preferences', () => {
  it('emails urgent requests and not normal ones by default', () => {
    expect(wantsEmail(undefined, 'NEW_URGENT_REQUEST')).toBe(true);
    expect(wantsEmail(undefined, 'NEW_REQUEST')).toBe(false);
    expect(wantsEmail({ lowStock: false }, 'NEW_URGENT_REQUEST')).toBe(true);
    expect(wantsEmail({ newRequests: true }, 'NEW_REQUEST')).toBe(true);
    expect(wantsEmail({ urgentRequests: false }, 'NEW_URGENT_REQUEST')).toBe(false);
  });
});

describe('buildNewRequestEmail', () => {
  it('names the requester and the priority in people’s words', () => {
    const email = buildNewRequestEmail({
      workOrder: workOrder('NEW', 'HIGH', { description: '<b>water</b>' }),
      recipientName: 'Tom',
      appUrl: 'https://app.example/',
    });
    expect(email.subject).toBe('New request WO-7 (High priority): Boiler leaking');
    expect(email.text).toContain('Hello Tom,');
    expect(email.text).toContain('Ruth Miller submitted WO-7');
    expect(email.text).toContain('Priority: High');
    expect(email.text).not.toContain('HIGH');
    expect(email.html).toContain('&lt;b&gt;water&lt;/b&gt;');
    expect(email.link).toBe('https://app.example/work-orders/wo-1');
  });
});
