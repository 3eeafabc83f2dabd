import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDynamoDbClient } from '../local/dynamodb';
import { LocalCognito } from '../local/graphql-client';
import { BACKEND_ONLY, type LocalRuntime, startLocalRuntime } from '../local/main';

/** The local runtime a benchmark runs against, with the clients seeding needs. */
export type BenchRuntime = {
  runtime: LocalRuntime;
  cognito: LocalCognito;
  documents: DynamoDBDocumentClient;
  stop: () => Promise<void>;
};

/** Starts the runtime on free loopback ports over a data folder: no web app, no demo data. */
export async function startBenchRuntime(dataDirectory: string): Promise<BenchRuntime> {
  const runtime = await startLocalRuntime({
    dataDirectory,
    ports: 'auto',
    ...BACKEND_ONLY,
  });
  const client = localDynamoDbClient(runtime.urls.dynamodb);
  return {
    runtime,
    cognito: new LocalCognito(runtime.urls.cognito, runtime.userPoolId, runtime.userPoolClientId),
    documents: DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    }),
    stop: async () => {
      client.destroy();
      await runtime.stop();
    },
  };
}
