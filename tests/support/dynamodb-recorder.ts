import { startDynamoDbProxy } from '../../local/dynamodb-proxy';

/** One DynamoDB call seen by the recorder: its operation and the table it names. */
export type RecordedCall = { operation: string; table?: string };

/** A recording HTTP proxy in front of DynamoDB Local. */
export type DynamoDbRecorder = {
  endpoint: string;
  calls: RecordedCall[];
  stop: () => Promise<void>;
};

/**
 * Forwards every request to DynamoDB Local unchanged and records its operation (`Query`, …) and
 * table name, so a test can see what a request path issued.
 */
export async function startDynamoDbRecorder(target: string): Promise<DynamoDbRecorder> {
  const calls: RecordedCall[] = [];
  const proxy = await startDynamoDbProxy(target, {
    seen: ({ operation, body }) => {
      let table: string | undefined;
      try {
        table = (JSON.parse(body.toString('utf8')) as { TableName?: string }).TableName;
      } catch {
        // not JSON: record the operation alone
      }
      calls.push({ operation, ...(table ? { table } : {}) });
    },
  });
  return { ...proxy, calls };
}
