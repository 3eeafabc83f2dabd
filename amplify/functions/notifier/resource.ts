import { defineFunction } from '@aws-amplify/backend';

/** Consumes the DynamoDB streams of the watched tables and sends notifications exactly once. */
export const notifier = defineFunction({
  name: 'notifier',
  entry: './handler.ts',
  resourceGroupName: 'data',
  timeoutSeconds: 30,
  memoryMB: 256,
  runtime: 24,
});
