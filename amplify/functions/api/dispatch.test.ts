import { Logger } from '@aws-lambda-powertools/logger';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WorkOrderRecord } from '../../../core/records';
import {
  FakeClock,
  FakeDirectory,
  InMemoryTables,
  SequentialIds,
  SequentialSecrets,
} from '../../../core/testing/fakes';
import { callerFrom, createApiHandler, type AppSyncResolverEvent } from './dispatch';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../../../core/records';

const identity = (sub: string, groups?: string[]) => ({
  sub,
  username: sub,
  claims: { sub, 'cognito:username': sub, ...(groups ? { 'cognito:groups': groups } : {}) },
});

const event = (
  fieldName: string,
  args: Record<string, unknown>,
  sub = 'user-1',
): AppSyncResolverEvent => ({
  typeName: 'Mutation',
  fieldName,
  arguments: args,
  identity: identity(sub),
});

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('api handler', () => {
  let tables: InMemoryTables;
  let directory: FakeDirectory;
  let handler: ReturnType<typeof createApiHandler>;

  beforeEach(() => {
    tables = new InMemoryTables();
    directory = new FakeDirectory();
    directory.users.set('user-1', { email: 'ann@example.org', name: 'Ann' });
    directory.users.set('user-2', { email: 'bob@example.org' });
    const logger = new Logger({ serviceName: 'api-test', logLevel: 'SILENT' });
    handler = createApiHandler(
      {
        ...tables,
        directory,
        clock: new FakeClock(),
        ids: new SequentialIds(),
        secrets: new SequentialSecrets(),
      },
      logger,
    );
  });

  it('runs a whole first session: me, create an organization, submit, take', async () => {
    expect(await handler({ ...event('me', {}), typeName: 'Query' })).toEqual({
      profile: {
        id: 'user-1',
        email: 'ann@example.org',
        displayName: 'Ann',
        createdAt: '2026-03-01T12:00:00.000Z',
        preferences: DEFAULT_NOTIFICATION_PREFERENCES,
      },
      memberships: [],
      invitations: [],
    });
    const organization = (await handler(
      event('createOrganization', { name: 'Grace Chapel', slug: null }),
    )) as { id: string };
    expect(organization).toMatchObject({
      name: 'Grace Chapel',
      slug: 'grace-chapel',
      plan: 'FREE',
    });

    const workOrder = (await handler(
      event('submitWorkOrder', {
        organizationId: organization.id,
        title: 'Leak',
        priority: 'HIGH',
      }),
    )) as WorkOrderRecord;
    expect(workOrder).toMatchObject({
      number: 1,
      status: 'NEW',
      priority: 'HIGH',
      requester: 'user-1::user-1',
    });

    const assigned = await handler(
      event('assignWorkOrder', { id: workOrder.id, assigneeId: 'user-1', expectedVersion: 1 }),
    );
    expect(assigned).toMatchObject({
      status: 'ASSIGNED',
      assigneeId: 'user-1',
      assigneeName: 'Ann',
      version: 2,
    });

    const me = (await handler({ ...event('me', {}), typeName: 'Query' })) as {
      memberships: unknown[];
    };
    expect(me.memberships).toEqual([
      {
        memberId: `${organization.id}#user-1`,
        organizationId: organization.id,
        organizationName: 'Grace Chapel',
        role: 'OWNER',
        status: 'ACTIVE',
      },
    ]);
  });

  it('reports a domain failure with its code as the error name and the resolution in the message', async () => {
    const err = await errorOf(
      handler(event('submitWorkOrder', { organizationId: 'org-x', title: '' })),
    );
    expect(err.name).toBe('VALIDATION');
    expect(err.message).toMatch(/^title: is required\. Correct title/);
  });

  it('refuses a non-member without revealing the work order', async () => {
    const organization = (await handler(event('createOrganization', { name: 'Grace Chapel' }))) as {
      id: string;
    };
    const workOrder = (await handler(
      event('submitWorkOrder', { organizationId: organization.id, title: 'Leak' }),
    )) as {
      id: string;
    };
    const err = await errorOf(
      handler(event('assignWorkOrder', { id: workOrder.id, assigneeId: 'user-2' }, 'user-2')),
    );
    expect(err.name).toBe('NOT_FOUND');
    const submit = await errorOf(
      handler(event('submitWorkOrder', { organizationId: organization.id, title: 'x' }, 'user-2')),
    );
    expect(submit.name).toBe('FORBIDDEN');
  });

  it('masks unexpected failures as INTERNAL', async () => {
    tables.workOrders.get = async () => {
      throw new Error('ProvisionedThroughputExceededException: secret table name');
    };
    const err = await errorOf(
      handler(event('assignWorkOrder', { id: 'wo-1', assigneeId: 'user-1' })),
    );
    expect(err.name).toBe('INTERNAL');
    expect(err.message).not.toContain('secret');
  });

  it('refuses an event without identity as UNAUTHENTICATED', async () => {
    const err = await errorOf(handler({ fieldName: 'me', identity: null }));
    expect(err.name).toBe('UNAUTHENTICATED');
  });

  it('never takes an IAM principal of the account for a person', async () => {
    const notifierRole = {
      userArn: 'arn:aws:sts::123456789012:assumed-role/notifier/session',
      username: 'AROAEXAMPLE:session',
    };
    const asUser = await errorOf(
      handler({
        fieldName: 'createOrganization',
        arguments: { name: 'X' },
        identity: notifierRole,
      }),
    );
    expect(asUser.name).toBe('UNAUTHENTICATED');
  });

  it('treats an unknown field as an internal misconfiguration', async () => {
    const err = await errorOf(handler(event('deleteEverything', {})));
    expect(err.name).toBe('INTERNAL');
  });
});

describe('callerFrom', () => {
  it('reads groups from the claim when AppSync gives none (local simulator)', () => {
    expect(callerFrom(identity('u-1', ['org-1', 'org-1:OWNER'])).groups).toEqual([
      'org-1',
      'org-1:OWNER',
    ]);
  });

  it('prefers identity.groups (AWS)', () => {
    expect(callerFrom({ ...identity('u-1', ['stale']), groups: ['org-2'] }).groups).toEqual([
      'org-2',
    ]);
  });

  it('falls back to the sub as username', () => {
    expect(callerFrom({ sub: 'u-1', claims: {} })).toEqual({
      userId: 'u-1',
      username: 'u-1',
      groups: [],
    });
  });
});
