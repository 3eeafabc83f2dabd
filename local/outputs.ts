import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CloudAssembly } from './assembly';
import { LOCAL_REGION } from './dynamodb';

/** Where the local runtime's services listen. */
export type LocalEndpoints = {
  graphql: string;
  cognito: string;
  mailbox: string;
  dynamodb: string;
};

/** The `custom.local` block: present only in local mode, read by the web app and tests. */
export type LocalOutputs = {
  /** Same-origin paths the web app uses through the Vite proxy. */
  cognitoEndpoint: string;
  graphqlUrl: string;
  mailboxUrl: string;
  /** Direct URLs for Node clients, tests and people. */
  direct: LocalEndpoints;
};

/** `amplify_outputs.json` in the standard Gen 2 shape, plus `custom.local`. */
export type AmplifyOutputs = ReturnType<typeof amplifyOutputs>;

/** Builds amplify_outputs.json for the local runtime, as `ampx generate outputs` would on AWS. */
export function amplifyOutputs(
  assembly: CloudAssembly,
  ids: { userPoolId: string; userPoolClientId: string },
  endpoints: LocalEndpoints,
) {
  const policy = assembly.userPool.passwordPolicy;
  const local: LocalOutputs = {
    cognitoEndpoint: '/cognito',
    graphqlUrl: '/graphql',
    mailboxUrl: '/mailbox',
    direct: endpoints,
  };
  return {
    version: '1.4',
    auth: {
      aws_region: LOCAL_REGION,
      user_pool_id: ids.userPoolId,
      user_pool_client_id: ids.userPoolClientId,
      password_policy: {
        min_length: policy.MinimumLength ?? 8,
        require_lowercase: policy.RequireLowercase ?? false,
        require_numbers: policy.RequireNumbers ?? false,
        require_symbols: policy.RequireSymbols ?? false,
        require_uppercase: policy.RequireUppercase ?? false,
      },
      standard_required_attributes: assembly.userPool.schema
        .filter((a) => a.Required)
        .map((a) => a.Name),
      username_attributes: assembly.userPool.usernameAttributes,
      user_verification_types: assembly.userPool.autoVerifiedAttributes,
      unauthenticated_identities_enabled: false,
      mfa_configuration: 'NONE',
      mfa_methods: [] as string[],
    },
    data: {
      url: endpoints.graphql,
      aws_region: LOCAL_REGION,
      default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
      authorization_types: [] as string[],
      model_introspection: assembly.modelIntrospection,
    },
    custom: { local },
  };
}

/** Writes the outputs where Amplify apps look for them: the project root and public/. */
export function writeOutputs(root: string, outputs: AmplifyOutputs): string[] {
  const json = `${JSON.stringify(outputs, null, 2)}\n`;
  const targets = [
    path.join(root, 'amplify_outputs.json'),
    path.join(root, 'public', 'amplify_outputs.json'),
  ];
  for (const target of targets) {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, json);
  }
  return targets;
}
