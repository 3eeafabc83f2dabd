import { defineFunction } from '@aws-amplify/backend';

/** Cognito post-confirmation trigger: creates the user's profile exactly once. */
export const postConfirmation = defineFunction({
  name: 'post-confirmation',
  entry: './handler.ts',
  // Lives in the auth stack beside the profile table, so auth never depends on data.
  resourceGroupName: 'auth',
  timeoutSeconds: 5,
  runtime: 24,
});
