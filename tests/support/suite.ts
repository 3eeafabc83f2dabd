import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDynamoDbClient } from '../../local/dynamodb';
import { LocalCognito, type Session } from '../../local/graphql-client';
import { type LocalRuntime, startLocalRuntime } from '../../local/main';
import { decodeJwt } from './tokens';

/** A local runtime of one integration suite, with the clients its setup needs. */
export type SuiteRuntime = {
  runtime: LocalRuntime;
  dataDirectory: string;
  cognito: LocalCognito;
  documents: DynamoDBDocumentClient;
};

/** Starts a runtime on free ports in a fresh data folder, without demo data or the web app. */
export async function startSuiteRuntime(name: string): Promise<SuiteRuntime> {
  const dataDirectory = mkdtempSync(path.join(os.tmpdir(), `steward-${name}-`));
  const runtime = await startLocalRuntime({
    dataDirectory,
    ports: 'auto',
    app: false,
    demo: false,
    writeOutputsFiles: false,
  });
  return {
    runtime,
    dataDirectory,
    cognito: new LocalCognito(runtime.urls.cognito, runtime.userPoolId, runtime.userPoolClientId),
    documents: DynamoDBDocumentClient.from(localDynamoDbClient(runtime.urls.dynamodb), {
      marshallOptions: { removeUndefinedValues: true },
    }),
  };
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
