import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A TransactWriteItems cancellation as DynamoDB reports it, one reason code per item. */
export const cancelled = (...codes: string[]) =>
  Object.assign(new Error(`Transaction cancelled [${codes.join(', ')}]`), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** A client whose sends answer in turn from the script (an Error is thrown, anything else returned). */
export function scripted(...answers: unknown[]) {
  const sent: { input: Record<string, unknown> }[] = [];
  const db = {
    send: async (command: { input: Record<string, unknown> }) => {
      sent.push(command);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer ?? {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, sent };
}
