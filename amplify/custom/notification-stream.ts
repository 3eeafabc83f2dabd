import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';

/** How the notifier consumes table streams; the local runtime reads these same settings. */
export const NOTIFIER_STREAM_SETTINGS = {
  batchSize: 25,
  retryAttempts: 3,
  maxBatchingWindowSeconds: 0,
} as const;

/**
 * Feeds the notifier from the given tables' streams with bounded retries, bisect on error,
 * partial batch responses and an SQS on-failure destination.
 */
export function wireNotifier(notifier: IFunction, tables: ITable[]): Queue {
  const stack = Stack.of(notifier);
  const failures = new Queue(stack, 'NotifierFailures', {
    retentionPeriod: Duration.days(14),
    enforceSSL: true,
  });
  for (const table of tables) {
    notifier.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: NOTIFIER_STREAM_SETTINGS.batchSize,
        retryAttempts: NOTIFIER_STREAM_SETTINGS.retryAttempts,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        maxBatchingWindow: Duration.seconds(NOTIFIER_STREAM_SETTINGS.maxBatchingWindowSeconds),
        onFailure: new SqsDlq(failures),
      }),
    );
  }
  return failures;
}
