import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Writable } from 'node:stream';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { Services } from 'cognito-local/lib/services';
import type { PostConfirmationTrigger } from 'cognito-local/lib/services/triggers/postConfirmation';
import type { Context } from 'cognito-local/lib/services/context';
import type { Message } from 'cognito-local/lib/services/messages';
import type { MessageSender } from 'cognito-local/lib/services/messageDelivery/messageSender';
import type { User } from 'cognito-local/lib/services/userPoolService';
import type { CognitoTrigger, UserPoolDefinition } from './assembly';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb';
import { LocalRuntimeError } from './process-utils';

/** The local user pool. */
export type Cognito = {
  /** Cognito Identity Provider endpoint for SDK clients and `Auth.Cognito.userPoolEndpoint`. */
  endpoint: string;
  userPoolId: string;
  clientId: string;
  /** The `iss` of every token: `https://cognito-idp.localhost/<userPoolId>`. */
  issuer: string;
  /** Where the token signing keys are served (the issuer host itself does not resolve). */
  jwksUri: string;
  stop: () => Promise<void>;
};

export type CognitoOptions = {
  port: number;
  host?: string;
  /** Users, groups, the pool and its client, kept across restarts. */
  dataDirectory: string;
  userPool: UserPoolDefinition;
  /** Lambda Invoke API base URL that triggers are sent to. */
  lambdaEndpoint: string;
  /** SES endpoint verification codes are sent through, so they land in the mailbox. */
  mailEndpoint: string;
  /** Access and ID token lifetime (default 3600). */
  tokenLifetimeSeconds?: number;
  /** Sender of verification mail (Cognito's default sender unless set). */
  mailFrom?: string;
  log?: (line: string) => void;
};

/** Same host prefix as AWS, so consumers that look for `https://cognito-idp.` recognise the tokens. */
export const LOCAL_ISSUER_DOMAIN = 'https://cognito-idp.localhost';
const IDS_FILE = 'user-pool.json';
const POOL_NAME = 'steward-local';
const CLIENT_NAME = 'steward-web';
/** Cognito gives a trigger 5 seconds. */
const TRIGGER_TIMEOUT_MS = 5000;
const DEFAULT_SUBJECT = 'Your verification code';
const DEFAULT_MESSAGE = 'Your verification code is {####}.';
/** The triggers cognito-local can call; others are reported, not silently dropped. */
const SUPPORTED_TRIGGERS = [
  'PreSignUp',
  'PostConfirmation',
  'PreTokenGeneration',
  'CustomMessage',
  'PostAuthentication',
  'UserMigration',
] as const;

const require = createRequire(import.meta.url);
const lib = <T>(file: string): T => require(`cognito-local/lib/${file}`) as T;

type Target = (ctx: Context, req: Record<string, unknown>) => Promise<unknown>;
/** The request fields the locally added targets read. */
type UserRequest = {
  ClientId: string;
  Username: string;
  ConfirmationCode?: string;
  ClientMetadata?: Record<string, string>;
};

type Errors = {
  UserNotFoundError: new () => Error;
  InvalidParameterError: new (message?: string) => Error;
  CognitoError: new (code: string, message: string) => Error;
};

/** Verification mail through SES, so a person reads codes in the local mailbox. */
class SesMessageSender implements MessageSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly userPool: UserPoolDefinition,
    private readonly log: (line: string) => void,
  ) {}

  async sendEmail(_ctx: Context, user: User, destination: string, message: Message): Promise<void> {
    const code = message.__code ?? '';
    const fill = (template: string) =>
      template.replaceAll('{####}', code).replaceAll('{username}', user.Username);
    const subject = fill(
      message.emailSubject || this.userPool.emailVerificationSubject || DEFAULT_SUBJECT,
    );
    const body = fill(
      message.emailMessage || this.userPool.emailVerificationMessage || DEFAULT_MESSAGE,
    );
    try {
      await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [destination] },
          Content: {
            Simple: {
              Subject: { Data: subject },
              Body: { Text: { Data: body.replace(/<[^>]+>/g, '') }, Html: { Data: body } },
            },
          },
        }),
      );
    } catch (err) {
      throw new LocalRuntimeError(
        `Could not deliver the verification mail for ${destination} to the SES emulator.`,
        'Start the mail emulator before Cognito and pass its endpoint as mailEndpoint.',
        { cause: err },
      );
    }
  }

  async sendSms(_ctx: Context, user: User, destination: string, message: Message): Promise<void> {
    // No SMS counterpart runs locally; the log is where a developer finds the code.
    this.log(`cognito: SMS to ${destination} for ${user.Username}: code ${message.__code ?? ''}`);
  }
}

/** A pino logger (cognito-local's log type) that forwards warnings and errors to `log`. */
function createLogger(log: (line: string) => void) {
  const pino = require('pino') as (options: object, stream: Writable) => Context['logger'];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
          log(`cognito: ${entry.msg ?? ''}${entry.err?.message ? ` (${entry.err.message})` : ''}`);
        } catch {
          log(`cognito: ${line}`);
        }
      }
      done();
    },
  });
  return pino({ level: 'warn', base: undefined }, stream);
}

function withVerifiedAttributes(
  attributes: User['Attributes'],
  autoVerified: string[],
): User['Attributes'] {
  const verified = new Set(
    autoVerified
      .filter((name) => attributes.some((a) => a.Name === name))
      .map((name) => `${name}_verified`),
  );
  return [
    ...attributes.filter((a) => !verified.has(a.Name)),
    ...[...verified].map((Name) => ({ Name, Value: 'true' })),
  ];
}

/**
 * Starts cognito-local in this process, built from its own services with four local changes:
 * verification codes go to the SES emulator, ConfirmSignUp marks the auto-verified attributes
 * verified (as Cognito does) before the post-confirmation trigger sees them, a failing
 * post-confirmation trigger is reported to the caller (as Cognito does), and
 * ResendConfirmationCode is supported. The pool and its client are created on first start and
 * reused afterwards; triggers are invoked through the Lambda Invoke API at lambdaEndpoint.
 */
export async function startCognito(options: CognitoOptions): Promise<Cognito> {
  const log = options.log ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const { userPool } = options;
  const dbDirectory = path.join(options.dataDirectory, 'db');
  mkdirSync(dbDirectory, { recursive: true });

  const AWS = require('aws-sdk') as typeof import('aws-sdk');
  const { createServer } =
    lib<typeof import('cognito-local/lib/server/server')>('server/server.js');
  const { Router } = lib<typeof import('cognito-local/lib/server/Router')>('server/Router.js');
  const { DefaultConfig } =
    lib<typeof import('cognito-local/lib/server/config')>('server/config.js');
  const servicesLib = lib<typeof import('cognito-local/lib/services')>('services/index.js');
  const { CognitoServiceFactoryImpl } = lib<
    typeof import('cognito-local/lib/services/cognitoService')
  >('services/cognitoService.js');
  const { CryptoService } =
    lib<typeof import('cognito-local/lib/services/crypto')>('services/crypto.js');
  const { StormDBDataStoreFactory } = lib<
    typeof import('cognito-local/lib/services/dataStore/stormDb')
  >('services/dataStore/stormDb.js');
  const { MessageDeliveryService } = lib<
    typeof import('cognito-local/lib/services/messageDelivery/messageDelivery')
  >('services/messageDelivery/messageDelivery.js');
  const { JwtTokenGenerator } = lib<typeof import('cognito-local/lib/services/tokenGenerator')>(
    'services/tokenGenerator.js',
  );
  const { attributesToRecord } = lib<typeof import('cognito-local/lib/services/userPoolService')>(
    'services/userPoolService.js',
  );
  const { UserPoolServiceFactoryImpl } = lib<
    typeof import('cognito-local/lib/services/userPoolService')
  >('services/userPoolService.js');
  const { otp } = lib<typeof import('cognito-local/lib/services/otp')>('services/otp.js');
  const { selectAppropriateDeliveryMethod } = lib<
    typeof import('cognito-local/lib/services/messageDelivery/deliveryMethod')
  >('services/messageDelivery/deliveryMethod.js');
  const errors = lib<Errors>('errors.js');

  const triggerFunctions: Record<string, string> = {};
  for (const [trigger, functionName] of Object.entries(userPool.triggers) as [
    CognitoTrigger,
    string,
  ][]) {
    if ((SUPPORTED_TRIGGERS as readonly string[]).includes(trigger))
      triggerFunctions[trigger] = functionName;
    else
      log(
        `cognito: the ${trigger} trigger (${functionName}) is not supported locally and will not run`,
      );
  }

  const config: Services['config'] = {
    ...DefaultConfig,
    LambdaClient: {
      credentials: LOCAL_CREDENTIALS,
      region: LOCAL_REGION,
      endpoint: options.lambdaEndpoint,
      // Cognito waits 5 s for a trigger and retries a timed-out call.
      httpOptions: { timeout: TRIGGER_TIMEOUT_MS },
      maxRetries: 2,
    } as Services['config']['LambdaClient'],
    TriggerFunctions: triggerFunctions,
    UserPoolDefaults: { UsernameAttributes: userPool.usernameAttributes },
    TokenConfig: { IssuerDomain: LOCAL_ISSUER_DOMAIN },
    ServerConfig: { port: options.port, hostname: host, development: false, https: false },
  };

  const logger = createLogger(log);
  const ctx = { logger } as unknown as Context;
  const clock = new servicesLib.DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dbDirectory);
  const cognito = await new CognitoServiceFactoryImpl(
    dbDirectory,
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create(ctx, config.UserPoolDefaults);
  const lambda = new servicesLib.LambdaService(
    config.TriggerFunctions,
    new AWS.Lambda(config.LambdaClient),
  );
  const triggers = new servicesLib.TriggersService(
    clock,
    cognito,
    lambda,
    new CryptoService(config.KMSConfig),
  );
  // Cognito answers the confirming call with the post-confirmation trigger's failure
  // (UserLambdaValidationException) after saving the confirmation; cognito-local logs and
  // swallows it, which would hide from the app (and the tests) that the trigger failed.
  const surfaced: PostConfirmationTrigger = async (context, request) => {
    await lambda.invoke(context, 'PostConfirmation', {
      clientId: request.clientId,
      clientMetadata: request.clientMetadata,
      triggerSource: request.source,
      userAttributes: attributesToRecord(request.userAttributes),
      username: request.username,
      userPoolId: request.userPoolId,
    });
  };
  Object.defineProperty(triggers, 'postConfirmation', { value: surfaced });
  const ses = new SESv2Client({
    endpoint: options.mailEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const sender = new SesMessageSender(
    ses,
    options.mailFrom ?? 'no-reply@verificationemail.com',
    userPool,
    log,
  );
  const services: Services = {
    clock,
    cognito,
    config,
    messages: new servicesLib.MessagesService(triggers, new MessageDeliveryService(sender)),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };

  const baseRouter = Router(services);
  const baseConfirmSignUp = baseRouter('ConfirmSignUp');
  const localTargets: Record<string, Target> = {
    // Cognito marks the auto-verified attributes verified on confirmation; cognito-local does not.
    ConfirmSignUp: async (context, raw) => {
      const req = raw as UserRequest;
      const pool = await cognito.getUserPoolForClientId(context, req.ClientId);
      const user = await pool.getUserByUsername(context, req.Username);
      if (user?.ConfirmationCode && user.ConfirmationCode === req.ConfirmationCode) {
        const autoVerified = pool.options.AutoVerifiedAttributes ?? userPool.autoVerifiedAttributes;
        await pool.saveUser(context, {
          ...user,
          Attributes: withVerifiedAttributes(user.Attributes, autoVerified),
        });
      }
      return baseConfirmSignUp(context, raw);
    },
    ResendConfirmationCode: async (context, raw) => {
      const req = raw as UserRequest;
      const pool = await cognito.getUserPoolForClientId(context, req.ClientId);
      const user = await pool.getUserByUsername(context, req.Username);
      if (!user) throw new errors.UserNotFoundError();
      if (user.UserStatus === 'CONFIRMED')
        throw new errors.InvalidParameterError('User is already confirmed.');
      const delivery = selectAppropriateDeliveryMethod(
        pool.options.AutoVerifiedAttributes ?? [],
        user,
      );
      if (!delivery)
        throw new errors.InvalidParameterError(
          'User has no attribute matching desired auto verified attributes',
        );
      const code = otp();
      await services.messages.deliver(
        context,
        'ResendCode',
        req.ClientId,
        pool.options.Id,
        user,
        code,
        req.ClientMetadata,
        delivery,
      );
      await pool.saveUser(context, {
        ...user,
        ConfirmationCode: code,
        UserLastModifiedDate: clock.get(),
      });
      return { CodeDeliveryDetails: delivery };
    },
  };
  const baseInitiateAuth = baseRouter('InitiateAuth');
  if (userPool.preventUserExistenceErrors) {
    // With PreventUserExistenceErrors (Amplify's default), Cognito answers an unknown user exactly
    // as a wrong password, and a password reset for an unknown user as if a code went out;
    // cognito-local says "User not authorized" for one and "Invalid password" for the other.
    const PASSWORD_FLOWS = new Set(['USER_PASSWORD_AUTH', 'USER_SRP_AUTH']);
    localTargets.InitiateAuth = async (context, raw) => {
      const req = raw as { AuthFlow?: string };
      try {
        return await baseInitiateAuth(context, raw);
      } catch (err) {
        const code = (err as { code?: string }).code;
        const hidesUser =
          PASSWORD_FLOWS.has(String(req.AuthFlow)) &&
          ['UserNotFoundException', 'InvalidPasswordException', 'NotAuthorizedException'].includes(
            String(code),
          );
        if (hidesUser) {
          throw new errors.CognitoError(
            'NotAuthorizedException',
            'Incorrect username or password.',
          );
        }
        throw err;
      }
    };
    const baseForgotPassword = baseRouter('ForgotPassword');
    localTargets.ForgotPassword = async (context, raw) => {
      const req = raw as UserRequest;
      const pool = await cognito.getUserPoolForClientId(context, req.ClientId);
      if (await pool.getUserByUsername(context, req.Username)) {
        return baseForgotPassword(context, raw);
      }
      const [name = '', domain = ''] = String(req.Username).split('@');
      return {
        CodeDeliveryDetails: {
          AttributeName: 'email',
          DeliveryMedium: 'EMAIL',
          Destination: `${name.charAt(0)}***@${domain.charAt(0)}***`,
        },
      };
    };
  }
  const baseCreateGroup = baseRouter('CreateGroup');
  // Cognito refuses to create a group that exists; cognito-local replaces it, members and all.
  localTargets.CreateGroup = async (context, raw) => {
    const req = raw as { UserPoolId: string; GroupName: string };
    const pool = await cognito.getUserPool(context, req.UserPoolId);
    // getGroupByGroupName throws while the pool has no group at all; listing does not.
    if ((await pool.listGroups(context)).some((g) => g.GroupName === req.GroupName)) {
      throw new errors.CognitoError(
        'GroupExistsException',
        'A group with the name already exists.',
      );
    }
    return baseCreateGroup(context, raw);
  };
  // aws-amplify v6 refreshes tokens with GetTokensFromRefreshToken, which cognito-local lacks;
  // it is the REFRESH_TOKEN_AUTH flow under another name.
  localTargets.GetTokensFromRefreshToken = async (context, raw) => {
    const req = raw as {
      ClientId: string;
      RefreshToken: string;
      ClientMetadata?: Record<string, string>;
    };
    return baseInitiateAuth(context, {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: req.ClientId,
      AuthParameters: { REFRESH_TOKEN: req.RefreshToken },
      ClientMetadata: req.ClientMetadata,
    });
  };
  const router = (target: string): Target => {
    const local = localTargets[target];
    if (!local) return baseRouter(target);
    return (context, req) =>
      local({ ...context, logger: context.logger.child({ target }) } as Context, req);
  };

  const { userPoolId, clientId } = await ensurePoolAndClient();

  async function ensurePoolAndClient(): Promise<{ userPoolId: string; clientId: string }> {
    const idsFile = path.join(options.dataDirectory, IDS_FILE);
    const saved = existsSync(idsFile)
      ? (JSON.parse(readFileSync(idsFile, 'utf8')) as { userPoolId: string; clientId: string })
      : undefined;
    const poolSettings = {
      AutoVerifiedAttributes: userPool.autoVerifiedAttributes,
      Policies: { PasswordPolicy: userPool.passwordPolicy },
      EmailVerificationSubject: userPool.emailVerificationSubject,
      EmailVerificationMessage: userPool.emailVerificationMessage,
      LambdaConfig: triggerFunctions,
    };
    const clientSettings = {
      AccessTokenValidity: lifetime,
      IdTokenValidity: lifetime,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds', RefreshToken: 'days' },
    };
    const exists =
      saved &&
      (await cognito.getUserPool(ctx, saved.userPoolId).then(
        () => true,
        () => false,
      )) &&
      (await cognito.getAppClient(ctx, saved.clientId))?.UserPoolId === saved.userPoolId;
    if (saved && exists) {
      // Keep the ids (and users); bring settings in line with the current backend definition.
      await router('UpdateUserPool')(ctx, { UserPoolId: saved.userPoolId, ...poolSettings });
      await router('UpdateUserPoolClient')(ctx, {
        UserPoolId: saved.userPoolId,
        ClientId: saved.clientId,
        ...clientSettings,
      });
      return saved;
    }
    const created = (await router('CreateUserPool')(ctx, {
      PoolName: POOL_NAME,
      UsernameAttributes: userPool.usernameAttributes,
      Schema: userPool.schema.map((a) => ({ AttributeDataType: 'String', ...a })),
      ...poolSettings,
    })) as { UserPool: { Id: string } };
    const client = (await router('CreateUserPoolClient')(ctx, {
      UserPoolId: created.UserPool.Id,
      ClientName: CLIENT_NAME,
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      ...clientSettings,
    })) as { UserPoolClient: { ClientId: string } };
    const ids = { userPoolId: created.UserPool.Id, clientId: client.UserPoolClient.ClientId };
    writeFileSync(idsFile, JSON.stringify(ids, null, 2));
    return ids;
  }

  const endpoint = `http://${host}:${options.port}`;
  const issuer = `${LOCAL_ISSUER_DOMAIN}/${userPoolId}`;
  const jwksUri = `${endpoint}/${userPoolId}/.well-known/jwks.json`;
  const { application } = createServer(
    router,
    logger as unknown as Parameters<typeof createServer>[1],
    config.ServerConfig,
    services,
  );
  // cognito-local's discovery document names a fixed localhost:9229; answer it with the real values.
  const discovery = /^\/([^/]+)\/\.well-known\/openid-configuration$/;
  const server = http.createServer((req, res) => {
    const match =
      req.method === 'GET' ? discovery.exec(new URL(req.url ?? '/', endpoint).pathname) : null;
    if (!match) return application(req, res);
    const body = JSON.stringify({
      issuer: `${LOCAL_ISSUER_DOMAIN}/${match[1]}`,
      jwks_uri: `${endpoint}/${match[1]}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    res
      .writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' })
      .end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new LocalRuntimeError(
          `Cognito could not listen on ${host}:${options.port} (${err.code ?? err.message}).`,
          'Free the port or choose another one.',
          { cause: err },
        ),
      ),
    );
    server.listen(options.port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  if (actualPort !== options.port) log(`cognito: listening on ${actualPort}`);

  return {
    endpoint,
    userPoolId,
    clientId,
    issuer,
    jwksUri,
    stop: () =>
      new Promise<void>((resolve) => {
        ses.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
