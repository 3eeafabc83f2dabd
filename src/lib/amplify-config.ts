import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import { routeLocalRealtimeOverPlainWebSocket } from './local-websocket';

/** What the local runtime adds to `amplify_outputs.json` under `custom.local`. */
export type LocalRuntimeOutputs = {
  /** Where cognito-local answers, e.g. `/cognito` (relative URLs resolve against the page). */
  cognitoEndpoint: string;
  /** The local mailbox (SES emulator) page, e.g. `/mailbox`. */
  mailboxUrl: string;
  /** The GraphQL endpoint to use instead of `data.url`; `/graphql` on the page origin if absent. */
  graphqlUrl?: string;
};

/** How the app is connected: to AWS, or to the offline runtime on this machine. */
export type Environment =
  | { mode: 'aws' }
  | { mode: 'local'; mailboxUrl: string; cognitoEndpoint: string; graphqlUrl: string };

type AmplifyOutputsFile = Parameters<typeof parseAmplifyConfig>[0] & {
  custom?: { local?: Partial<LocalRuntimeOutputs> };
};

/** Thrown when the outputs file is missing or unusable; `resolution` says what to do. */
export class ConfigurationError extends Error {
  constructor(
    message: string,
    readonly resolution: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

const absolute = (url: string): string => new URL(url, window.location.origin).toString();

/**
 * Reads a `custom.local` block, if any. Anything half-filled is an error rather than a silent
 * fall-back to AWS, which would send local passwords to a real Cognito host.
 */
const localEnvironment = (outputs: AmplifyOutputsFile): Environment => {
  const local = outputs.custom?.local;
  if (local === undefined) return { mode: 'aws' };
  if (typeof local.cognitoEndpoint !== 'string' || typeof local.mailboxUrl !== 'string') {
    throw new ConfigurationError(
      'amplify_outputs.json has a custom.local block without cognitoEndpoint and mailboxUrl.',
      'Restart the local runtime (npm start) so it rewrites public/amplify_outputs.json.',
    );
  }
  return {
    mode: 'local',
    cognitoEndpoint: absolute(local.cognitoEndpoint),
    mailboxUrl: absolute(local.mailboxUrl),
    graphqlUrl: absolute(local.graphqlUrl ?? '/graphql'),
  };
};

/** Fetches `/amplify_outputs.json` at run time, so one build serves every environment. */
export const loadOutputs = async (url = '/amplify_outputs.json'): Promise<AmplifyOutputsFile> => {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch (err) {
    throw new ConfigurationError(
      `Could not fetch ${url}.`,
      'Check that the web server is running.',
      { cause: err },
    );
  }
  const type = response.headers.get('content-type') ?? '';
  // A dev server answers an unknown path with index.html, so a 200 alone proves nothing.
  if (!response.ok || !type.includes('json')) {
    throw new ConfigurationError(
      `${url} is missing (HTTP ${response.status}).`,
      'Run the local runtime (npm start), which writes public/amplify_outputs.json, or deploy ' +
        'with `npx ampx sandbox` / Amplify Hosting, which provide it.',
    );
  }
  return (await response.json()) as AmplifyOutputsFile;
};

/** Configures Amplify from the outputs file and reports which environment it points at. */
export const configureAmplify = (outputs: AmplifyOutputsFile): Environment => {
  const environment = localEnvironment(outputs);
  const config: ResourcesConfig = parseAmplifyConfig(outputs);
  if (environment.mode === 'local') {
    const cognito = config.Auth?.Cognito;
    const graphql = config.API?.GraphQL;
    if (
      cognito?.userPoolId === undefined ||
      cognito.userPoolClientId === undefined ||
      graphql === undefined
    ) {
      throw new ConfigurationError(
        'amplify_outputs.json lacks its auth or data section.',
        'Restart the local runtime (npm start) so it rewrites public/amplify_outputs.json.',
      );
    }
    // Must precede the first subscription: the realtime client reads the global at connect time.
    routeLocalRealtimeOverPlainWebSocket();
    // cognito-local has user pools only, so any identity pool of the outputs is left out.
    const {
      identityPoolId: _identityPoolId,
      identityPoolEndpoint: _identityPoolEndpoint,
      allowGuestAccess: _allowGuestAccess,
      ...userPool
    } = cognito;
    config.Auth = {
      Cognito: {
        ...userPool,
        userPoolId: cognito.userPoolId,
        userPoolClientId: cognito.userPoolClientId,
        userPoolEndpoint: environment.cognitoEndpoint,
      },
    };
    config.API = { ...config.API, GraphQL: { ...graphql, endpoint: environment.graphqlUrl } };
  }
  Amplify.configure(config);
  return environment;
};
