import { Logger } from '@aws-lambda-powertools/logger';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock, InMemoryTables } from '../../../core/testing/fakes';

vi.mock('$amplify/env/post-confirmation', () => ({ env: { PROFILE_TABLE: 'profiles' } }));
const { createPostConfirmationHandler } = await import('./handler');

const confirmation = (attributes: Record<string, string>): PostConfirmationTriggerEvent =>
  ({
    version: '1',
    region: 'us-east-1',
    userPoolId: 'pool',
    userName: attributes.sub ?? 'someone',
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    callerContext: { awsSdkVersion: '3', clientId: 'client' },
    request: { userAttributes: attributes },
    response: {},
  }) as PostConfirmationTriggerEvent;

describe('post-confirmation handler', () => {
  let tables: InMemoryTables;
  let handler: ReturnType<typeof createPostConfirmationHandler>;
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

  beforeEach(() => {
    tables = new InMemoryTables();
    handler = createPostConfirmationHandler(tables.profiles, new FakeClock(), logger);
  });

  it('creates the profile and returns the event', async () => {
    const event = confirmation({ sub: 'u-1', email: 'ann@example.org', preferred_username: 'Ann' });
    expect(await handler(event)).toBe(event);
    expect(tables.profileRows.get('u-1')).toEqual({
      id: 'u-1',
      email: 'ann@example.org',
      displayName: 'Ann',
      createdAt: '2026-03-01T12:00:00.000Z',
    });
  });

  it('keeps the first profile when Cognito retries', async () => {
    await handler(
      confirmation({ sub: 'u-1', email: 'ann@example.org', preferred_username: 'Ann' }),
    );
    await handler(
      confirmation({ sub: 'u-1', email: 'ann@example.org', preferred_username: 'Changed' }),
    );
    expect(tables.profileRows.get('u-1')?.displayName).toBe('Ann');
  });

  it('throws on any other failure', async () => {
    tables.profiles.createOnce = async () => {
      throw new Error('AccessDeniedException');
    };
    await expect(handler(confirmation({ sub: 'u-1', email: 'a@example.org' }))).rejects.toThrow(
      'AccessDenied',
    );
  });
});
