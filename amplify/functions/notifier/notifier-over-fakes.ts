import { Logger } from '@aws-lambda-powertools/logger';
import type { NotificationStore } from '../../../core/ports';
import {
  FakeClock,
  FakeLivePublisher,
  FakeMailer,
  InMemoryTables,
} from '../../../core/testing/fakes';
import { createNotifierHandler } from './process-stream';

/** The notifier handler wired to in-memory tables and a fake mailer, as the unit tests use it. */
export const notifierOverFakes = (
  tables: InMemoryTables,
  notifications: NotificationStore,
  mailer: FakeMailer,
  live: FakeLivePublisher = new FakeLivePublisher(),
): ReturnType<typeof createNotifierHandler> =>
  createNotifierHandler({
    clock: new FakeClock(),
    memberships: tables.memberships,
    organizations: tables.organizations,
    profiles: tables.profiles,
    notifications,
    mailer,
    live,
    mailFrom: 'steward@example.org',
    appUrl: 'http://localhost:5173',
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  });

/**
 * A notifier over fresh, empty in-memory tables (whose notification records it writes), a fake
 * mailer and a fake live publisher: what one unit test starts from before seeding the tables.
 */
export function freshNotifier() {
  const tables = new InMemoryTables();
  const mailer = new FakeMailer();
  const live = new FakeLivePublisher();
  const { notifications } = tables;
  const handler = notifierOverFakes(tables, notifications, mailer, live);
  return { tables, notifications, mailer, live, handler };
}
