import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalCognito, Session } from '../../local/graphql-client';
import type { LocalRuntime } from '../../local/main';
import { decodeJwt } from './tokens';
import { startWorld } from './world';

/** A local runtime of one integration suite, with the clients its setup needs. */
export type SuiteRuntime = {
  runtime: LocalRuntime;
  dataDirectory: string;
  cognito: LocalCognito;
  documents: DynamoDBDocumentClient;
};

/** Starts a runtime on free ports in a fresh data folder (the world of `startWorld`, without people). */
export async function startSuiteRuntime(name: string): Promise<SuiteRuntime> {
  return startWorld({ name, people: {} });
}

/** Signs every person up (confirmed) and in, filling their sessions and user ids. */
export async function signUpPeople<P extends string>(
  cognito: LocalCognito,
  people: Record<P, { email: string }>,
  password: string,
  sessions: Record<P, Session>,
  ids: Record<P, string>,
): Promise<void> {
  for (const [who, { email }] of Object.entries(people) as [P, { email: string }][]) {
    await cognito.createConfirmedUser(email, password);
    sessions[who] = await cognito.signIn(email, password);
    ids[who] = String(decodeJwt(sessions[who].idToken).payload.sub);
  }
}
