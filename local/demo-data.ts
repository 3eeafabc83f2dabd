import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../core/organizations/roles';
import { graphqlOk, type LocalCognito, type Session } from './graphql-client';

/** The demo people printed on first start; one password for all of them. */
export const DEMO_PASSWORD = 'Steward-demo-1';
export const DEMO_USERS = [
  { email: 'owner@demo.steward.local', name: 'Olivia Owner', role: 'OWNER' },
  { email: 'manager@demo.steward.local', name: 'Marcus Manager', role: 'MANAGER' },
  { email: 'tech@demo.steward.local', name: 'Tess Technician', role: 'TECHNICIAN' },
  { email: 'member@demo.steward.local', name: 'Mia Member', role: 'MEMBER' },
] as const satisfies readonly { email: string; name: string; role: Role }[];

export type DemoSummary = {
  organizationId: string;
  organizationName: string;
  users: typeof DEMO_USERS;
};

const subOf = (session: Session): string => {
  const payload = JSON.parse(
    Buffer.from(session.idToken.split('.')[1] ?? '', 'base64url').toString(),
  ) as {
    sub: string;
  };
  return payload.sub;
};

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
      number
      version
    }
  }
`;

/**
 * Seeds the demo organization through the real API: sign-up and post-confirmation,
 * createOrganization, inviteMember and acceptInvitation, submitWorkOrder, assignWorkOrder. Only
 * the stock items are written directly, as the server would, until the inventory operations exist.
 */
export async function seedDemoData(options: {
  cognito: LocalCognito;
  dynamodb: DynamoDBClient;
  graphqlUrl: string;
  tables: { organizationMember: string; inventoryItem: string };
  log?: (line: string) => void;
}): Promise<DemoSummary> {
  const { cognito, graphqlUrl } = options;
  const documents = DynamoDBDocumentClient.from(options.dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sessions = new Map<string, Session>();
  for (const user of DEMO_USERS) {
    await cognito.createConfirmedUser(user.email, DEMO_PASSWORD, user.name);
    sessions.set(user.email, await cognito.signIn(user.email, DEMO_PASSWORD));
  }
  const session = (email: string): Session => {
    const found = sessions.get(email);
    if (!found) throw new Error(`No session for ${email}`);
    return found;
  };
  const [owner, manager, tech, member] = DEMO_USERS;

  const organizationName = 'Grace Community Church';
  const created = await graphqlOk<{ createOrganization: { id: string } }>(
    graphqlUrl,
    session(owner.email).accessToken,
    `mutation { createOrganization(name: "${organizationName}") { id } }`,
  );
  const organizationId = created.createOrganization.id;
  options.log?.(`demo organization ${organizationName} (${organizationId})`);

  // The others join as anyone would: invited by the owner, accepting with the emailed token.
  for (const user of [manager, tech, member]) {
    const invited = await graphqlOk<{ inviteMember: { id: string } }>(
      graphqlUrl,
      session(owner.email).accessToken,
      'mutation Invite($o: ID!, $e: String!, $r: Role!) { inviteMember(organizationId: $o, email: $e, role: $r) { id } }',
      { o: organizationId, e: user.email, r: user.role },
    );
    const invitation = await documents.send(
      new GetCommand({
        TableName: options.tables.organizationMember,
        Key: { id: invited.inviteMember.id },
      }),
    );
    await graphqlOk(
      graphqlUrl,
      session(user.email).accessToken,
      'mutation Accept($m: ID!, $t: String!) { acceptInvitation(memberId: $m, token: $t) { id } }',
      { m: invited.inviteMember.id, t: String(invitation.Item?.inviteToken) },
    );
  }
  // New groups reach a token only at the next sign-in.
  for (const user of DEMO_USERS)
    sessions.set(user.email, await cognito.signIn(user.email, DEMO_PASSWORD));

  const requests = [
    {
      by: member,
      title: 'Leaking tap in the kitchen',
      category: 'PLUMBING',
      priority: 'MEDIUM',
      locationText: 'Fellowship hall kitchen',
    },
    {
      by: member,
      title: 'Flickering lights in classroom 3',
      category: 'ELECTRICAL',
      priority: 'LOW',
      locationText: 'Education wing, room 3',
    },
    {
      by: manager,
      title: 'Replace HVAC filters before winter',
      category: 'HVAC',
      priority: 'HIGH',
      locationText: 'Sanctuary air handler',
    },
    {
      by: manager,
      title: 'Fire door does not latch',
      category: 'SECURITY',
      priority: 'URGENT',
      locationText: 'North stairwell',
    },
  ] as const;
  const submitted: { id: string; version: number }[] = [];
  for (const request of requests) {
    const { by, ...input } = request;
    const result = await graphqlOk<{ submitWorkOrder: { id: string; version: number } }>(
      graphqlUrl,
      session(by.email).accessToken,
      SUBMIT,
      {
        organizationId,
        description: `${input.title}. Reported during the weekly walk-through.`,
        ...input,
      },
    );
    submitted.push(result.submitWorkOrder);
  }
  const techId = subOf(session(tech.email));
  for (const workOrder of submitted.slice(2)) {
    await graphqlOk(
      graphqlUrl,
      session(manager.email).accessToken,
      `mutation Assign($id: ID!, $assigneeId: String, $expectedVersion: Int) {
        assignWorkOrder(id: $id, assigneeId: $assigneeId, expectedVersion: $expectedVersion) { id status }
      }`,
      { id: workOrder.id, assigneeId: techId, expectedVersion: workOrder.version },
    );
  }

  const stock = [
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
  ];
  const now = new Date().toISOString();
  for (const item of stock) {
    await documents.send(
      new PutCommand({
        TableName: options.tables.inventoryItem,
        Item: {
          __typename: 'InventoryItem',
          id: randomUUID(),
          organizationId,
          version: 1,
          createdAt: now,
          updatedAt: now,
          ...item,
        },
      }),
    );
  }
  return { organizationId, organizationName, users: DEMO_USERS };
}
