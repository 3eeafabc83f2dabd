import { describe, expect, it } from 'vitest';
import { AppSyncLivePublisher } from '../amplify/functions/notifier/stores/appsync-publisher';
import { LOCAL_REGION } from '../local/dynamodb';
import { ON_NOTIFICATION, SUBMIT, WORK_ORDERS } from './support/operations';
import { postSigned } from './support/sigv4';
import { useWorld } from './support/world';

/**
 * The backend's functions as AWS sees them: each signs with its own role, and the local runtime
 * refuses what that role's synthesized policy does not allow, as AppSync would.
 */
describe('function roles on the local runtime', () => {
  const world = useWorld({
    name: 'iam',
    people: { owner: { email: 'owner@iam.example', role: 'OWNER' } },
    organizations: { chapel: { owner: 'owner', name: 'IAM Chapel' } },
  });

  /** Sends a GraphQL request signed with a function's credentials. */
  async function asFunction(name: string, query: string, variables: Record<string, unknown>) {
    const { accessKeyId, secretAccessKey } = world.runtime.iam.principals.forFunction(name);
    const response = await postSigned(
      world.runtime.urls.graphql,
      { accessKeyId, secretAccessKey },
      JSON.stringify({ query, variables }),
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('lets the notifier publish a notification and refuses it every other field', async () => {
    const feed = await world.live('owner', ON_NOTIFICATION);
    const { accessKeyId, secretAccessKey } = world.runtime.iam.principals.forFunction('notifier');
    const publisher = new AppSyncLivePublisher(world.runtime.urls.graphql, LOCAL_REGION, {
      accessKeyId,
      secretAccessKey,
    });
    await publisher.publish({
      id: 'iam-allowed-1',
      organizationId: world.organizationId,
      recipientId: world.ids.owner,
      kind: 'WORK_ORDER_ASSIGNED',
      subject: 'Allowed',
      createdAt: new Date().toISOString(),
    });
    const pushed = await feed.next(
      (event) => JSON.stringify(event).includes('iam-allowed-1'),
      10_000,
    );
    expect(pushed).toBeTruthy();

    const submitted = await asFunction('notifier', SUBMIT, {
      organizationId: world.organizationId,
      title: 'Forged by a function',
    });
    expect(submitted.status).toBe(401);
    expect(JSON.stringify(submitted.body)).toContain(
      'is not authorized to perform: appsync:GraphQL on resource: arn:aws:appsync:us-east-1:000000000000:apis/local/types/Mutation/fields/submitWorkOrder',
    );
  });

  it('refuses the api function, whose role has no GraphQL access, even publishNotification', async () => {
    const published = await asFunction(
      'api',
      `mutation { publishNotification(id: "iam-forged", organizationId: "org-x", recipientId: "x", kind: "K", subject: "S", createdAt: "2026-12-01T00:00:00Z") { id } }`,
      {},
    );
    expect(published.status).toBe(401);
    // The refused call submitted nothing: the organization has no work order.
    const board = await world.ok('owner', WORK_ORDERS, { o: world.organizationId });
    expect(board.workOrdersByOrganization.items).toEqual([]);
  });
});
