import { beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import { callerFor, FakeClock, InMemoryTables, SequentialIds } from '../testing/fakes';
import { submitWorkOrder } from './submit-work-order';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    if (isDomainError(err)) return err.code;
    throw err;
  }
  return undefined;
}

describe('submitWorkOrder', () => {
  let tables: InMemoryTables;
  let deps: Parameters<typeof submitWorkOrder>[0];
  const clock = new FakeClock();

  beforeEach(() => {
    tables = new InMemoryTables();
    deps = { ...tables, clock, ids: new SequentialIds() };
    tables.addOrganization('org-1');
    tables.addMember('org-1', 'member-1', 'MEMBER');
  });

  it('numbers work orders per organization and sets the server fields', async () => {
    const first = await submitWorkOrder(deps, callerFor('member-1'), {
      organizationId: 'org-1',
      title: 'Leak',
    });
    const second = await submitWorkOrder(deps, callerFor('member-1'), {
      organizationId: 'org-1',
      title: 'Light',
    });
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(first).toMatchObject({
      organizationId: 'org-1',
      status: 'NEW',
      priority: 'MEDIUM',
      category: 'OTHER',
      type: 'CORRECTIVE',
      requester: 'member-1::member-1',
      requesterId: 'member-1',
      requesterName: 'member-1',
      version: 1,
      createdAt: '2026-03-01T12:00:00.000Z',
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
    expect(first.readGroups).toEqual([
      'org-1:OWNER',
      'org-1:ADMIN',
      'org-1:MANAGER',
      'org-1:TECHNICIAN',
      'org-1:VIEWER',
    ]);
    expect(tables.organizationRows.get('org-1')).toMatchObject({
      workOrderCounter: 2,
      workOrdersInMonth: 2,
    });
    expect(tables.eventRows.map((e) => [e.kind, e.workOrderId, e.toStatus])).toEqual([
      ['SUBMITTED', first.id, 'NEW'],
      ['SUBMITTED', second.id, 'NEW'],
    ]);
  });

  it('saves a draft', async () => {
    const draft = await submitWorkOrder(deps, callerFor('member-1'), {
      organizationId: 'org-1',
      title: 'Idea',
      draft: true,
    });
    expect(draft.status).toBe('DRAFT');
  });

  it('never hands a number out twice to submissions at once', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        submitWorkOrder(deps, callerFor('member-1'), {
          organizationId: 'org-1',
          title: `Leak ${i}`,
        }).then((w) => w.number),
      ),
    );
    expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(tables.workOrderRows.size).toBe(20);
  });

  it('refuses when the organization is suspended between its read and the number, writing nothing', async () => {
    tables.beforeWrite = () => {
      const organization = tables.organizationRows.get('org-1');
      if (organization)
        tables.organizationRows.set('org-1', { ...organization, status: 'SUSPENDED' });
    };
    expect(
      await codeOf(
        submitWorkOrder(deps, callerFor('member-1'), { organizationId: 'org-1', title: 'x' }),
      ),
    ).toBe('FORBIDDEN');
    expect(tables.workOrderRows.size).toBe(0);
    expect(tables.organizationRows.get('org-1')?.workOrderCounter).toBe(0);
  });

  it.each([
    ['a stranger', 'stranger-1', 'FORBIDDEN'],
    ['a suspended member', 'suspended-1', 'FORBIDDEN'],
    ['an invited member', 'invited-1', 'FORBIDDEN'],
    ['a VIEWER', 'viewer-1', 'FORBIDDEN'],
  ])('refuses %s', async (_name, userId, code) => {
    tables.addMember('org-1', 'suspended-1', 'MEMBER', 'SUSPENDED');
    tables.addMember('org-1', 'invited-1', 'MEMBER', 'INVITED');
    tables.addMember('org-1', 'viewer-1', 'VIEWER');
    expect(
      await codeOf(
        submitWorkOrder(deps, callerFor(userId), { organizationId: 'org-1', title: 'x' }),
      ),
    ).toBe(code);
    expect(tables.workOrderRows.size).toBe(0);
  });

  it('refuses a member of another organization', async () => {
    tables.addOrganization('org-2');
    tables.addMember('org-2', 'other-1', 'OWNER');
    expect(
      await codeOf(
        submitWorkOrder(deps, callerFor('other-1'), { organizationId: 'org-1', title: 'x' }),
      ),
    ).toBe('FORBIDDEN');
  });

  it('validates before touching anything', async () => {
    expect(
      await codeOf(
        submitWorkOrder(deps, callerFor('member-1'), { organizationId: 'org-1', title: '' }),
      ),
    ).toBe('VALIDATION');
  });

  it('enforces the monthly plan limit and resets it in a new month', async () => {
    tables.addOrganization('org-1', {
      workOrderCounter: 80,
      workOrdersMonth: '2026-03',
      workOrdersInMonth: 50,
    });
    const submit = () =>
      submitWorkOrder(deps, callerFor('member-1'), { organizationId: 'org-1', title: 'x' });
    expect(await codeOf(submit())).toBe('LIMIT_EXCEEDED');
    tables.addOrganization('org-1', {
      workOrderCounter: 80,
      workOrdersMonth: '2026-02',
      workOrdersInMonth: 50,
    });
    const workOrder = await submit();
    expect(workOrder.number).toBe(81);
    expect(tables.organizationRows.get('org-1')).toMatchObject({
      workOrdersMonth: '2026-03',
      workOrdersInMonth: 1,
    });
  });
});
