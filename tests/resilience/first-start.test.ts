import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoDbClient } from '../../local/dynamodb';
import { type LocalRuntime, startLocalRuntime } from '../../local/main';

/** Everything the demo seed makes, in a form two starts can be compared by. */
type DemoState = {
  users: string[];
  organizations: string[];
  slugClaims: number;
  members: string[];
  workOrders: string[];
  stock: string[];
  /** Every item of the stock table: items and their SKU claims. */
  stockClaims: number;
  groups: Record<string, string[]>;
};

const directories: string[] = [];
const freshDirectory = (): string => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'steward-first-start-'));
  directories.push(directory);
  return directory;
};

const start = (
  dataDirectory: string,
  extra: { signal?: AbortSignal; beforeDemoCall?: (call: string) => void } = {},
) =>
  startLocalRuntime({
    dataDirectory,
    ports: 'auto',
    demo: true,
    app: false,
    writeOutputsFiles: false,
    ...extra,
  });

/** Reads the demo's data straight from the stores, so duplicates cannot hide behind an index. */
async function demoState(runtime: LocalRuntime): Promise<DemoState> {
  const db = localDynamoDbClient(runtime.urls.dynamodb);
  const documents = DynamoDBDocumentClient.from(db);
  const cognito = new CognitoIdentityProviderClient({
    endpoint: runtime.urls.cognito,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const scanTable = async (model: string): Promise<Record<string, unknown>[]> => {
      const items: Record<string, unknown>[] = [];
      for await (const page of paginateScan(
        { client: documents },
        { TableName: runtime.tableName(model), ConsistentRead: true },
      )) {
        items.push(...(page.Items ?? []));
      }
      return items;
    };
    /** The model's items (a table also holds claim records: slugs, SKUs). */
    const scan = async (model: string): Promise<Record<string, unknown>[]> =>
      (await scanTable(model)).filter((item) => item.__typename === model);
    const organizationTable = await scanTable('Organization');
    const users = await cognito.send(new ListUsersCommand({ UserPoolId: runtime.userPoolId }));
    const groups: Record<string, string[]> = {};
    for (const user of users.Users ?? []) {
      const email = user.Attributes?.find((a) => a.Name === 'email')?.Value ?? '';
      const listed = await cognito.send(
        new AdminListGroupsForUserCommand({
          UserPoolId: runtime.userPoolId,
          Username: user.Username,
        }),
      );
      // Group names hold the organization id, which differs between starts: keep the role part.
      groups[email] = (listed.Groups ?? [])
        .map((g) => (g.GroupName ?? '').replace(/^org-[^:]+/, 'org'))
        .sort();
    }
    return {
      users: (users.Users ?? [])
        .map(
          (u) =>
            `${u.Attributes?.find((a) => a.Name === 'email')?.Value} ${u.UserStatus} ${
              u.Attributes?.find((a) => a.Name === 'email_verified')?.Value
            }`,
        )
        .sort(),
      organizations: organizationTable
        .filter((item) => item.__typename === 'Organization')
        .map((o) => `${o.name} ${o.slug} members=${o.memberCount}`),
      slugClaims: organizationTable.filter((item) => item.__typename === 'OrganizationSlug').length,
      members: (await scan('OrganizationMember'))
        .map((m) => `${m.email} ${m.role} ${m.status}`)
        .sort(),
      workOrders: (await scan('WorkOrder'))
        .map((w) => `${w.title} ${w.status} ${w.assigneeId ? 'assigned' : 'unassigned'}`)
        .sort(),
      stock: (await scan('InventoryItem')).map((i) => `${i.sku} ${i.quantity}`).sort(),
      stockClaims: (await scanTable('InventoryItem')).length,
      groups,
    };
  } finally {
    cognito.destroy();
    db.destroy();
  }
}

describe('first start', () => {
  let calls: string[] = [];
  let reference: DemoState;

  beforeAll(async () => {
    const recorded: string[] = [];
    const runtime = await start(freshDirectory(), { beforeDemoCall: (c) => recorded.push(c) });
    try {
      calls = recorded;
      reference = await demoState(runtime);
    } finally {
      await runtime.stop();
    }
  }, 180_000);

  afterAll(() => {
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  it('an uninterrupted start seeds the whole demo organization once', () => {
    expect(reference.users).toHaveLength(4);
    expect(reference.organizations).toEqual([
      'Grace Community Church grace-community-church members=4',
    ]);
    expect(reference.slugClaims).toBe(1);
    expect(reference.members).toHaveLength(4);
    expect(reference.members.every((m) => m.endsWith(' ACTIVE'))).toBe(true);
    expect(reference.workOrders).toHaveLength(4);
    expect(reference.workOrders.filter((w) => w.endsWith(' assigned'))).toHaveLength(2);
    expect(reference.stock).toEqual(['FLT-2020 6', 'LED-A19 3', 'SALT-40 8']);
    expect(reference.stockClaims).toBe(6);
    expect(reference.groups['tech@demo.steward.local']).toEqual(['org', 'org:TECHNICIAN']);
  });

  // Each case stops the first start as the given call of the seed is made (the call is sent and
  // left in flight, as with Ctrl-C or a closed terminal): [what the call does, which of them].
  it.each([
    ['sign up', 1],
    ['confirm', 2],
    ['create', 0],
    ['invite', 1],
    ['accept', 2],
    ['submit', 2],
    ['assign', 1],
    ['stock', 0],
  ] as const)(
    'a first start stopped at "%s" #%i, then started again, ends with the same demo',
    async (kind, occurrence) => {
      const at = calls.map((c, i) => [c, i] as const).filter(([c]) => c.startsWith(kind))[
        occurrence
      ]?.[1];
      expect(at, `the seed makes a "${kind}" call #${occurrence}`).toBeDefined();
      const dataDirectory = freshDirectory();
      const stop = new AbortController();
      let made = 0;
      await expect(
        start(dataDirectory, {
          signal: stop.signal,
          beforeDemoCall: () => {
            if (made++ === at) stop.abort(new Error('stopped during the first start'));
          },
        }),
      ).rejects.toThrow('stopped during the first start');
      expect(made).toBe((at ?? 0) + 1);
      expect(existsSync(path.join(dataDirectory, 'demo.json'))).toBe(false);

      const runtime = await start(dataDirectory);
      try {
        expect(runtime.demo?.organizationName).toBe('Grace Community Church');
        expect(existsSync(path.join(dataDirectory, 'demo.json'))).toBe(true);
        expect(await demoState(runtime)).toEqual(reference);
      } finally {
        await runtime.stop();
      }
    },
    240_000,
  );
});
