import { InMemoryTables } from './fakes';
import { storeContracts } from './store-contracts';

// The in-memory fakes every unit test relies on, held to the same contract as the DynamoDB stores
// (amplify/functions/shared/stores/store-contracts.integration.test.ts).
const tables = new InMemoryTables();
storeContracts('in-memory fakes', () => ({
  profiles: tables.profiles,
  organizations: tables.organizations,
  memberships: tables.memberships,
  workOrders: tables.workOrders,
  inventory: tables.inventory,
  notifications: tables.notifications,
  inbox: tables.inbox,
}));
