import { afterAll, beforeAll } from 'vitest';
import { storeContracts, type Stores } from '../../../../core/testing/store-contracts';
import { readCloudAssembly } from '../../../../local/cloud-assembly';
import {
  type DynamoDbLocal,
  ensureTables,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '../../../../local/dynamodb';
import { PROJECT_ROOT, SYNTH_CACHE } from '../../../../local/paths';
import { freePort } from '../../../../local/process-utils';
import { synthesize } from '../../../../local/synth';
import { DynamoInboxStore } from '../../api/stores/dynamo-inbox-store';
import { DynamoInventoryStore } from '../../api/stores/dynamo-inventory-store';
import { DynamoWorkOrderStore } from '../../api/stores/dynamo-work-order-store';
import { DynamoNotificationStore } from '../../notifier/stores/dynamo-notification-store';
import { createDocumentClient } from './dynamo-items';
import { DynamoMembershipStore } from './dynamo-membership-store';
import { DynamoOrganizationStore } from './dynamo-organization-store';
import { DynamoProfileStore } from './dynamo-profile-store';

// The DynamoDB stores on DynamoDB Local, in the tables the backend really synthesizes (keys and
// indexes included), held to the contract the in-memory fakes also pass.
let dynamodb: DynamoDbLocal;
let stores: Stores;

beforeAll(async () => {
  const { directory } = await synthesize({ root: PROJECT_ROOT, cacheDirectory: SYNTH_CACHE });
  const assembly = readCloudAssembly(directory);
  dynamodb = await startDynamoDbLocal({ port: await freePort() });
  const raw = localDynamoDbClient(dynamodb.endpoint);
  await ensureTables(raw, assembly.tables);
  const table = (model: string) => {
    const found = assembly.tables.find((t) => t.modelName === model);
    if (!found) throw new Error(`no ${model} table`);
    return found.tableName;
  };
  const profileTable = assembly.tables.find((t) => !t.modelName)?.tableName ?? '';
  const db = createDocumentClient(raw);
  const organizations = table('Organization');
  const members = table('OrganizationMember');
  stores = {
    profiles: new DynamoProfileStore(db, profileTable),
    organizations: new DynamoOrganizationStore(db, { organizations, members }),
    memberships: new DynamoMembershipStore(db, { members, organizations }),
    workOrders: new DynamoWorkOrderStore(db, {
      workOrders: table('WorkOrder'),
      events: table('WorkOrderEvent'),
      organizations,
    }),
    inventory: new DynamoInventoryStore(db, {
      items: table('InventoryItem'),
      adjustments: table('InventoryAdjustment'),
    }),
    notifications: new DynamoNotificationStore(db, table('Notification')),
    inbox: new DynamoInboxStore(db, table('Notification')),
  };
});

afterAll(async () => {
  await dynamodb?.stop();
});

storeContracts('DynamoDB stores on DynamoDB Local', () => stores);
