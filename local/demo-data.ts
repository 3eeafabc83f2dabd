import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminUpdateUserAttributesCommand,
  SignUpCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { organizationGroup, roleGroup, type Role } from '../core/organizations/roles';
import { graphqlOk, type LocalCognito, type Session } from './graphql-client';
import { LocalRuntimeError } from './process-utils';

/** The demo people printed on first start; one password for all of them. */
export const DEMO_PASSWORD = 'Steward-demo-1';
export const DEMO_USERS = [
  { email: 'owner@demo.steward.local', name: 'Olivia Owner', role: 'OWNER' },
  { email: 'manager@demo.steward.local', name: 'Marcus Manager', role: 'MANAGER' },
  { email: 'tech@demo.steward.local', name: 'Tess Technician', role: 'TECHNICIAN' },
  { email: 'member@demo.steward.local', name: 'Mia Member', role: 'MEMBER' },
] as const satisfies readonly { email: string; name: string; role: Role }[];

/** The demo organization's name and the slug the server derives from it. */
export const DEMO_ORGANIZATION = { name: 'Grace Community Church', slug: 'grace-community-church' };

export type DemoSummary = {
  organizationId: string;
  organizationName: string;
  users: typeof DEMO_USERS;
};

type DemoUser = (typeof DEMO_USERS)[number];
const [OWNER, MANAGER, TECH, MEMBER] = DEMO_USERS;

/** The demo's requests; the last two are assigned to the technician. */
export const DEMO_WORK_ORDERS = [
  {
    by: MEMBER,
    title: 'Leaking tap in the kitchen',
    category: 'PLUMBING',
    priority: 'MEDIUM',
    locationText: 'Fellowship hall kitchen',
    assign: false,
  },
  {
    by: MEMBER,
    title: 'Flickering lights in classroom 3',
    category: 'ELECTRICAL',
    priority: 'LOW',
    locationText: 'Education wing, room 3',
    assign: false,
  },
  {
    by: MANAGER,
    title: 'Replace HVAC filters before winter',
    category: 'HVAC',
    priority: 'HIGH',
    locationText: 'Sanctuary air handler',
    assign: true,
  },
  {
    by: MANAGER,
    title: 'Fire door does not latch',
    category: 'SECURITY',
    priority: 'URGENT',
    locationText: 'North stairwell',
    assign: true,
  },
] as const;

/** The demo's stock, one item low (LED bulbs). */
export const DEMO_STOCK = [
  {
    sku: 'FLT-2020',
    name: 'HVAC filter 20×20×1',
    unit: 'each',
    quantity: 6,
    minQuantity: 4,
    reorderQuantity: 12,
    unitCost: 8.5,
    storageLocation: 'Boiler room shelf A',
  },
  {
    sku: 'LED-A19',
    name: 'LED bulb A19 9W',
    unit: 'each',
    quantity: 3,
    minQuantity: 10,
    reorderQuantity: 24,
    unitCost: 2.25,
    storageLocation: 'Janitor closet',
  },
  {
    sku: 'SALT-40',
    name: 'Ice melt salt 40 lb',
    unit: 'bag',
    quantity: 8,
    minQuantity: 5,
    reorderQuantity: 10,
    unitCost: 11,
    storageLocation: 'Garage',
  },
] as const;

/** The generated indexes the seed reads to find what an earlier, interrupted start left. */
const INDEXES = {
  membersByOrganization: 'organizationMembersByOrganizationIdAndEmail',
  workOrdersByOrganization: 'workOrdersByOrganizationIdAndCreatedAt',
  inventoryByOrganization: 'inventoryItemsByOrganizationIdAndSku',
} as const;

/** What to do when the demo seed failed: usually run again; otherwise start afresh. */
export const START_CLEAN_RESOLUTION =
  '`npm start` again carries on where this start stopped. If it fails the same way, ' +
  '`npm run start:clean` deletes the local data in .steward/data and starts afresh, or ' +
  '`npm start -- --no-demo` keeps the data and starts without the demo.';

const SUBMIT = /* GraphQL */ `
  mutation Submit(
    $organizationId: ID!
    $title: String!
    $description: String
    $category: Category
    $priority: Priority
    $locationText: String
  ) {
    submitWorkOrder(
      organizationId: $organizationId
      title: $title
      description: $description
      category: $category
      priority: $priority
      locationText: $locationText
    ) {
      id
    }
  }
`;

const ASSIGN = /* GraphQL */ `
  mutation Assign($id: ID!, $assigneeId: String, $expectedVersion: Int) {
    assignWorkOrder(id: $id, assigneeId: $assigneeId, expectedVersion: $expectedVersion) {
      id
    }
  }
`;

const CREATE_ITEM = /* GraphQL */ `
  mutation CreateItem(
    $organizationId: ID!
    $sku: String!
    $name: String!
    $unit: String!
    $quantity: Int!
    $minQuantity: Int!
    $reorderQuantity: Int
    $unitCost: Float
    $storageLocation: String
  ) {
    createInventoryItem(
      organizationId: $organizationId
      sku: $sku
      name: $name
      unit: $unit
      quantity: $quantity
      minQuantity: $minQuantity
      reorderQuantity: $reorderQuantity
      unitCost: $unitCost
      storageLocation: $storageLocation
    ) {
      id
    }
  }
`;

/** Options of `seedDemoData`. */
export type DemoSeedOptions = {
  cognito: LocalCognito;
  dynamodb: DynamoDBClient;
  graphqlUrl: string;
  tables: {
    organization: string;
    organizationMember: string;
    workOrder: string;
    inventoryItem: string;
  };
  /** Aborting it stops the seed at once, even with a call in flight (as Ctrl-C or a kill). */
  signal?: AbortSignal;
  /** Called before each call the seed makes to the backend, with what the call does. */
  beforeCall?: (call: string) => void;
  log?: (line: string) => void;
};

/**
 * Seeds the demo organization through the real API: sign-up and post-confirmation,
 * createOrganization, inviteMember and acceptInvitation, submitWorkOrder, assignWorkOrder,
 * createInventoryItem.
 *
 * Every step first reads what exists, so a seed stopped anywhere (Ctrl-C, a closed terminal, a
 * crash) carries on from there at the next start and ends with the same organization, nothing
 * twice. What it reads: the users in Cognito, the organization by its slug claim, the members,
 * work orders and stock of the organization by their indexes.
 */
export async function seedDemoData(options: DemoSeedOptions): Promise<DemoSummary> {
  const { cognito, graphqlUrl, tables, signal } = options;
  const documents = DynamoDBDocumentClient.from(options.dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const call = <T>(what: string, work: () => Promise<T>): Promise<T> => {
    signal?.throwIfAborted();
    options.beforeCall?.(what);
    return abortable(work(), signal);
  };
  const query = async <T>(input: QueryCommandInput): Promise<T[]> => {
    const items: T[] = [];
    for await (const page of paginateQuery({ client: documents }, input)) {
      signal?.throwIfAborted();
      items.push(...((page.Items ?? []) as T[]));
    }
    return items;
  };
  const byOrganization = <T>(TableName: string, IndexName: string, organizationId: string) =>
    query<T>({
      TableName,
      IndexName,
      KeyConditionExpression: 'organizationId = :o',
      ExpressionAttributeValues: { ':o': organizationId },
    });

  const sessions = new Map<string, Session>();
  const ids = new Map<string, string>();
  // The pool's usernames are not the addresses (they sign in by email): the group calls need them.
  const usernames = new Map<string, string>();
  for (const user of DEMO_USERS) {
    usernames.set(user.email, await ensureConfirmedUser(cognito, user, call));
    const session = await call(`sign in ${user.email}`, () =>
      cognito.signIn(user.email, DEMO_PASSWORD),
    );
    sessions.set(user.email, session);
    ids.set(user.email, subOf(session));
  }
  const token = (user: DemoUser): string => {
    const found = sessions.get(user.email);
    if (!found) throw new Error(`No session for ${user.email}`);
    return found.accessToken;
  };
  const idOf = (user: DemoUser): string => {
    const found = ids.get(user.email);
    if (!found) throw new Error(`No user id for ${user.email}`);
    return found;
  };

  const organizationId = await ensureOrganization();
  options.log?.(`demo organization ${DEMO_ORGANIZATION.name} (${organizationId})`);

  // The others join as anyone would: invited by the owner, accepting with the emailed token.
  // Inviting an address that is already invited renews its token, so a repeat is harmless.
  type MemberItem = { id: string; email: string; status: string; inviteToken?: string };
  const members = await byOrganization<MemberItem>(
    tables.organizationMember,
    INDEXES.membersByOrganization,
    organizationId,
  );
  for (const user of [MANAGER, TECH, MEMBER]) {
    if (members.some((m) => m.email === user.email && m.status === 'ACTIVE')) continue;
    const invited = await call(`invite ${user.email}`, () =>
      graphqlOk<{ inviteMember: { id: string } }>(
        graphqlUrl,
        token(OWNER),
        'mutation Invite($o: ID!, $e: String!, $r: Role!) { inviteMember(organizationId: $o, email: $e, role: $r) { id } }',
        { o: organizationId, e: user.email, r: user.role },
      ),
    );
    const invitation = await documents.send(
      new GetCommand({
        TableName: tables.organizationMember,
        Key: { id: invited.inviteMember.id },
        ConsistentRead: true,
      }),
    );
    await call(`accept the invitation of ${user.email}`, () =>
      graphqlOk(
        graphqlUrl,
        token(user),
        'mutation Accept($m: ID!, $t: String!) { acceptInvitation(memberId: $m, token: $t) { id } }',
        { m: invited.inviteMember.id, t: String(invitation.Item?.inviteToken) },
      ),
    );
  }
  // The server adds the groups right after committing a membership; a start stopped between
  // the two left a member who cannot read their organization. Add what is missing, as an
  // administrator would.
  for (const user of DEMO_USERS) {
    const groups = [organizationGroup(organizationId), roleGroup(organizationId, user.role)];
    await ensureGroups(cognito, usernames.get(user.email) ?? user.email, groups, call);
  }

  type WorkOrderItem = { id: string; title: string; version: number; assigneeId?: string };
  const existing = await byOrganization<WorkOrderItem>(
    tables.workOrder,
    INDEXES.workOrdersByOrganization,
    organizationId,
  );
  for (const request of DEMO_WORK_ORDERS) {
    if (existing.some((w) => w.title === request.title)) continue;
    const { by, assign: _assign, ...input } = request;
    await call(`submit "${request.title}"`, () =>
      graphqlOk(graphqlUrl, token(by), SUBMIT, {
        organizationId,
        description: `${input.title}. Reported during the weekly walk-through.`,
        ...input,
      }),
    );
  }
  const workOrders = await byOrganization<WorkOrderItem>(
    tables.workOrder,
    INDEXES.workOrdersByOrganization,
    organizationId,
  );
  for (const request of DEMO_WORK_ORDERS.filter((r) => r.assign)) {
    const workOrder = workOrders.find((w) => w.title === request.title);
    if (!workOrder || workOrder.assigneeId) continue;
    await call(`assign "${request.title}"`, () =>
      graphqlOk(graphqlUrl, token(MANAGER), ASSIGN, {
        id: workOrder.id,
        assigneeId: idOf(TECH),
        expectedVersion: workOrder.version,
      }),
    );
  }

  const stocked = await byOrganization<{ sku: string }>(
    tables.inventoryItem,
    INDEXES.inventoryByOrganization,
    organizationId,
  );
  for (const item of DEMO_STOCK) {
    if (stocked.some((s) => s.sku === item.sku)) continue;
    await call(`stock ${item.sku}`, () =>
      graphqlOk(graphqlUrl, token(MANAGER), CREATE_ITEM, { organizationId, ...item }),
    );
  }
  return { organizationId, organizationName: DEMO_ORGANIZATION.name, users: DEMO_USERS };

  /** The organization an earlier start created (found by its slug claim), or a new one. */
  async function ensureOrganization(): Promise<string> {
    const claim = await documents.send(
      new GetCommand({
        TableName: tables.organization,
        Key: { id: `slug#${DEMO_ORGANIZATION.slug}` },
        ConsistentRead: true,
      }),
    );
    const claimed = claim.Item?.organizationId as string | undefined;
    if (claimed) {
      const found = await documents.send(
        new GetCommand({
          TableName: tables.organization,
          Key: { id: claimed },
          ConsistentRead: true,
        }),
      );
      if (found.Item?.ownerId !== idOf(OWNER)) {
        throw new LocalRuntimeError(
          `The slug ${DEMO_ORGANIZATION.slug} is taken by an organization that is not the demo's, so the demo organization cannot be set up.`,
          '`npm run start:clean` deletes the local data in .steward/data and starts afresh, or ' +
            '`npm start -- --no-demo` keeps the data and starts without the demo.',
        );
      }
      return claimed;
    }
    const created = await call(`create ${DEMO_ORGANIZATION.name}`, () =>
      graphqlOk<{ createOrganization: { id: string } }>(
        graphqlUrl,
        token(OWNER),
        'mutation Create($name: String!) { createOrganization(name: $name) { id } }',
        { name: DEMO_ORGANIZATION.name },
      ),
    );
    return created.createOrganization.id;
  }
}

type Call = <T>(what: string, work: () => Promise<T>) => Promise<T>;

/**
 * Signs a demo user up and confirms them as an administrator (which runs post-confirmation),
 * doing only what an earlier start did not: sign-up, confirmation, the verified address.
 */
async function ensureConfirmedUser(
  cognito: LocalCognito,
  user: DemoUser,
  call: Call,
): Promise<string> {
  const read = () =>
    call(`read user ${user.email}`, () =>
      cognito.client
        .send(new AdminGetUserCommand({ UserPoolId: cognito.userPoolId, Username: user.email }))
        .catch((err: unknown) => {
          if (err instanceof UserNotFoundException) return undefined;
          throw err;
        }),
    );
  let found = await read();
  if (!found) {
    await call(`sign up ${user.email}`, () =>
      cognito.client.send(
        new SignUpCommand({
          ClientId: cognito.clientId,
          Username: user.email,
          Password: DEMO_PASSWORD,
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'preferred_username', Value: user.name },
          ],
        }),
      ),
    );
    found = await read();
  }
  if (found?.UserStatus === 'UNCONFIRMED') {
    await call(`confirm ${user.email}`, () =>
      cognito.client.send(
        new AdminConfirmSignUpCommand({ UserPoolId: cognito.userPoolId, Username: user.email }),
      ),
    );
  }
  const verified = found?.UserAttributes?.some(
    (a) => a.Name === 'email_verified' && a.Value === 'true',
  );
  if (!verified) {
    // An administrator vouches for the address; without it the app asks to verify it first.
    await call(`verify ${user.email}`, () =>
      cognito.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: cognito.userPoolId,
          Username: user.email,
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      ),
    );
  }
  return found?.Username ?? user.email;
}

/** Adds a user to those of the groups they are not in. */
async function ensureGroups(cognito: LocalCognito, username: string, groups: string[], call: Call) {
  const listed = await call(`read the groups of ${username}`, () =>
    cognito.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: cognito.userPoolId, Username: username }),
    ),
  );
  const have = new Set((listed.Groups ?? []).map((g) => g.GroupName));
  for (const group of groups.filter((g) => !have.has(g))) {
    await call(`add ${username} to ${group}`, () =>
      cognito.client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: cognito.userPoolId,
          Username: username,
          GroupName: group,
        }),
      ),
    );
  }
}

/** Settles with the work, or rejects as soon as the signal aborts (the work is left running). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) {
      onAbort();
      work.catch(() => {});
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}

const subOf = (session: Session): string => {
  const payload = JSON.parse(
    Buffer.from(session.idToken.split('.')[1] ?? '', 'base64url').toString(),
  ) as { sub: string };
  return payload.sub;
};
