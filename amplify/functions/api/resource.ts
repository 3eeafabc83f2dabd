import { defineFunction } from '@aws-amplify/backend';

/** One Lambda behind every business operation (custom queries and mutations) of the API. */
export const api = defineFunction({
  name: 'api',
  entry: './handler.ts',
  resourceGroupName: 'data',
  timeoutSeconds: 15,
  memoryMB: 512,
  runtime: 24,
});
