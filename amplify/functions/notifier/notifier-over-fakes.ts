import { Logger } from '@aws-lambda-powertools/logger';
import type { NotificationStore } from '../../../core/ports';
import {
  FakeClock,
  FakeLivePublisher,
  type FakeMailer,
  type InMemoryTables,
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
