import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import type { Role } from '../../core/organizations/roles';
import { localDynamoDbClient } from '../../local/dynamodb';
import {
  graphql,
  graphqlOk,
  type GraphQLResponse,
  LocalCognito,
  type Session,
} from '../../local/graphql-client';
import { type MailMessage, readMailbox } from '../../local/mail';
import {
  autoPorts,
  BACKEND_ONLY,
  type LocalRuntime,
  type LocalRuntimeOptions,
  startLocalRuntime,
} from '../../local/main';
import { seedActiveMember } from './members';
import { CREATE_ORGANIZATION, type Document } from './operations';
import { openRealtime, type RealtimeSubscription, subscribe } from './realtime';
import { type RuntimeProcess, startRuntimeProcess } from './runtime-process';
import { decodeJwt } from './tokens';
import { waitFor } from './wait';

/** The password of every person the suites sign up. */
export const PASSWORD = 'Test-pass-123';

/** A person of a suite: their address, and their role in an organization of the suite. */
export type PersonSpec<O extends string> = {
  email: string;
  /** Their role; OWNER of the organization they create, otherwise an ACTIVE member. */
  role?: Role;
  /** The organization they belong to (default: the first one). */
  of?: NoInfer<O>;
};

/** What a suite needs: its people by name, the organizations they own, runtime options. */
export type WorldSpec<P extends string, O extends string> = {
  /** Names the data folder. */
  name: string;
  people: Record<P, PersonSpec<O>>;
  /** Organizations by key, each created through the API by its owner. */
  organizations?: Record<O, { owner: NoInfer<P>; name: string; plan?: string }>;
  /** Runtime options beyond the defaults (fresh ports, no demo, no app, no outputs files). */
  runtime?: Pick<LocalRuntimeOptions, 'dynamoDbEndpoint' | 'tokenLifetimeSeconds'>;
  /** Environment variables set for the runtime's start and removed after the suite. */
  env?: Record<string, string>;
  /**
   * Runs the runtime in a process of its own, which `crash()` kills -9 with its DynamoDB Local as
   * a power cut would (the world then has `process` instead of `runtime`).
   */
  ownProcess?: boolean;
};

/** Who sends a request: a person of the suite, someone else's session, or nobody. */
export type Caller<P extends string> = P | Session | undefined;

/** A running runtime with a suite's organizations and signed-in people. */
export type World<P extends string, O extends string> = WorldCore<P, O> & { runtime: LocalRuntime };

/** A world whose runtime runs in a process of its own, which a suite can kill. */
export type ProcessWorld<P extends string, O extends string> = WorldCore<P, O> & {
  /** The runtime's process and what it reported when ready (its URLs, user pool, tables). */
  process: RuntimeProcess;
  /**
   * Kills the runtime and its DynamoDB Local at once (SIGKILL), as a crash would; says whether a
   * DynamoDB Local was there to kill. `restart()` starts it again on the same data.
   */
  crash: () => Promise<{ dynamoDbKilled: boolean }>;
};

/** What every world has, wherever its runtime runs. */
export type WorldCore<P extends string, O extends string> = {
  cognito: LocalCognito;
  documents: DynamoDBDocumentClient;
  dataDirectory: string;
  /** User ids (the token's `sub`) by person. */
  ids: Record<P, string>;
  /** Current sessions by person (`signIn` refreshes one). */
  sessions: Record<P, Session>;
  emails: Record<P, string>;
  /** Organization ids by key. */
  org: Record<O, string>;
  /** Organization slugs by key. */
  slugs: Record<O, string>;
  /** The first organization's id. */
  organizationId: string;
  /** A table by its model's name (or, for a table of no model, its logical id's start). */
  table: (model: string) => string;
  /** Every item of a model's table, read consistently page by page. */
  scan: (model: string) => Promise<Record<string, unknown>[]>;
  /** The item of a model's table with this id, read consistently. */
  item: (model: string, id: string) => Promise<Record<string, unknown> | undefined>;
  /** Sends an operation as someone; the answer with its errors. */
  gql: <T, V>(
    who: Caller<P>,
    query: Document<T, V> | string,
    variables?: V | Record<string, unknown>,
  ) => Promise<GraphQLResponse<T>>;
  /** Sends an operation as someone and returns its data, throwing on any error. */
  ok: <T, V>(
    who: Caller<P>,
    query: Document<T, V> | string,
    variables?: V | Record<string, unknown>,
  ) => Promise<T>;
  /** Posts a raw body to the API as someone: the answer, parsed where it is JSON, and its headers. */
  post: (
    who: Caller<P>,
    body: string,
  ) => Promise<GraphQLResponse<Record<string, unknown>> & { headers: Headers }>;
  /** Signs a person in again (new groups arrive with a new token) and keeps the session. */
  signIn: (who: P) => Promise<Session>;
  /** Signs up and in someone who is not one of the suite's people. */
  signUp: (email: string) => Promise<{ session: Session; id: string }>;
  /** Makes a person an ACTIVE member of an organization and signs them in again. */
  join: (who: P, organizationId: string, role: Role) => Promise<void>;
  /** Opens a socket as someone and subscribes; the socket closes when the suite ends. */
  live: <T, V>(
    who: Caller<P>,
    query: Document<T, V> | string,
    variables?: V | Record<string, unknown>,
  ) => Promise<RealtimeSubscription>;
  mailbox: () => Promise<MailMessage[]>;
  /** Waits for the `nth` (from 0) email to an address and reads the six-digit code in it. */
  mailedCode: (email: string, nth?: number) => Promise<string>;
  /** Signs up as a person does in the app (not confirmed yet); returns the code mailed to them. */
  requestSignUp: (email: string, attributes?: Record<string, string>) => Promise<string>;
  /** Confirms a sign-up with a code, as the app's confirmation step does. */
  confirmSignUp: (email: string, code: string) => Promise<void>;
  /** The event Cognito sends the post-confirmation trigger for a user with these attributes. */
  postConfirmationEvent: (
    userAttributes: { sub: string; email: string } & Record<string, string>,
  ) => Record<string, unknown>;
  /** Stops the runtime (if it still runs) and starts it again on the same data, as after a reboot. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
};

const subOf = (session: Session) => String(decodeJwt(session.idToken).payload.sub);

/** Runs `work` over `items`, `width` at a time. */
async function inBatches<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  for (let start = 0; start < items.length; start += width) {
    await Promise.all(items.slice(start, start + width).map(work));
  }
}

/** A world of either kind, as `startWorld` fills it in. */
type AnyWorld<P extends string, O extends string> = WorldCore<P, O> &
  Partial<Pick<World<P, O>, 'runtime'> & Omit<ProcessWorld<P, O>, keyof WorldCore<P, O>>>;

/** A runtime as the world uses it, wherever it runs. */
type Running = Pick<LocalRuntime, 'urls' | 'userPoolId' | 'userPoolClientId' | 'stop'> & {
  table: (model: string) => string;
  kill?: RuntimeProcess['kill'];
  /** What the suite sees of it. */
  exposed: Pick<World<never, never>, 'runtime'> | Pick<ProcessWorld<never, never>, 'process'>;
};

/**
 * Starts a runtime in a fresh data folder on fresh ports and gives it the suite's people and
 * organizations. A failure part way stops what was started and removes the folder.
 */
export async function startWorld<P extends string, O extends string = never>(
  spec: WorldSpec<P, O> & { ownProcess: true },
  signal?: AbortSignal,
  target?: ProcessWorld<P, O>,
): Promise<ProcessWorld<P, O>>;
export async function startWorld<P extends string, O extends string = never>(
  spec: WorldSpec<P, O>,
  signal?: AbortSignal,
  target?: World<P, O>,
): Promise<World<P, O>>;
export async function startWorld<P extends string, O extends string = never>(
  spec: WorldSpec<P, O>,
  signal?: AbortSignal,
  target = {} as AnyWorld<P, O>,
): Promise<AnyWorld<P, O>> {
  const dataDirectory = mkdtempSync(path.join(os.tmpdir(), `steward-${spec.name}-`));
  const previousEnv = Object.fromEntries(
    Object.keys(spec.env ?? {}).map((key) => [key, process.env[key]]),
  );
  Object.assign(process.env, spec.env);
  const sockets: { close(): void }[] = [];
  /** The runtime to stop, if one runs; `last` keeps the URLs of the one that ran last. */
  let running: Running | undefined;
  let last: Running | undefined;
  const started = () => last as Running;
  const closeClients = () => {
    target.documents?.destroy();
    target.cognito?.client.destroy();
  };
  const stop = async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await running?.stop();
    running = undefined;
    closeClients();
    for (const [key, value] of Object.entries(previousEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(dataDirectory, { recursive: true, force: true });
  };
  const launch = async (): Promise<Running> => {
    if (spec.ownProcess) {
      const child = await startRuntimeProcess(dataDirectory, await autoPorts(), signal);
      const { urls, userPoolId, userPoolClientId, tables } = child.info;
      return {
        urls,
        userPoolId,
        userPoolClientId,
        table: (model) =>
          Object.entries(tables).find(([key]) => key.startsWith(`${model}Table`))?.[1] ??
          tables[model] ??
          model,
        stop: child.stop,
        kill: child.kill,
        exposed: { process: child },
      };
    }
    const runtime = await startLocalRuntime({
      dataDirectory,
      ports: 'auto',
      ...BACKEND_ONLY,
      signal,
      ...spec.runtime,
    });
    return {
      urls: runtime.urls,
      userPoolId: runtime.userPoolId,
      userPoolClientId: runtime.userPoolClientId,
      stop: () => runtime.stop(),
      // The Profile table is the trigger's own, not a model's: found by its logical id.
      table: (model) =>
        runtime.assembly.tables.find((t) => !t.modelName && t.logicalId.startsWith(`${model}Table`))
          ?.tableName ?? runtime.tableName(model),
      exposed: { runtime },
    };
  };
  try {
    const parts = async () => {
      running = await launch();
      last = running;
      return {
        ...running.exposed,
        cognito: new LocalCognito(
          running.urls.cognito,
          running.userPoolId,
          running.userPoolClientId,
        ),
        documents: DynamoDBDocumentClient.from(localDynamoDbClient(running.urls.dynamodb), {
          marshallOptions: { removeUndefinedValues: true },
        }),
      };
    };
    Object.assign(target, await parts());
    const table = (model: string) => started().table(model);
    const people = Object.entries(spec.people) as [P, PersonSpec<O>][];
    const sessions = {} as Record<P, Session>;
    const ids = {} as Record<P, string>;
    const emails = Object.fromEntries(people.map(([who, p]) => [who, p.email])) as Record<
      P,
      string
    >;
    const tokenOf = (who: Caller<P>) =>
      typeof who === 'string' ? sessions[who].accessToken : who?.accessToken;
    const gql: World<P, O>['gql'] = (who, query, variables) =>
      graphql(started().urls.graphql, tokenOf(who), query, variables as Record<string, unknown>);
    const ok: World<P, O>['ok'] = (who, query, variables) =>
      graphqlOk(
        started().urls.graphql,
        tokenOf(who) ?? '',
        query,
        variables as Record<string, unknown>,
      );
    const post: World<P, O>['post'] = async (who, body) => {
      const token = tokenOf(who);
      const response = await fetch(started().urls.graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
        body,
      });
      const text = await response.text();
      let parsed: Pick<GraphQLResponse<Record<string, unknown>>, 'data' | 'errors'>;
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        parsed = { errors: [{ message: text }] };
      }
      return { status: response.status, ...parsed, headers: response.headers };
    };
    const signIn = async (who: P) => {
      sessions[who] = await target.cognito.signIn(emails[who], PASSWORD);
      return sessions[who];
    };
    const join = async (who: P, organizationId: string, role: Role) => {
      await seedActiveMember({
        documents: target.documents,
        cognito: target.cognito,
        table: table('OrganizationMember'),
        organizationId,
        userId: ids[who],
        email: emails[who],
        role,
        displayName: who,
      });
      await signIn(who);
    };

    // Ten at a time: the user pool keeps its users in one file.
    await inBatches(people, 10, async ([who, { email }]) => {
      await target.cognito.createConfirmedUser(email, PASSWORD);
      ids[who] = subOf(await signIn(who));
    });
    const org = {} as Record<O, string>;
    const slugs = {} as Record<O, string>;
    const organizations = Object.entries(spec.organizations ?? {}) as [
      O,
      { owner: P; name: string; plan?: string },
    ][];
    for (const [key, { owner, name, plan }] of organizations) {
      const created = (await ok(owner, CREATE_ORGANIZATION, { name })).createOrganization;
      org[key] = created.id;
      slugs[key] = created.slug;
      await signIn(owner);
      if (plan) {
        await target.documents.send(
          new UpdateCommand({
            TableName: table('Organization'),
            Key: { id: org[key] },
            UpdateExpression: 'SET #plan = :plan',
            ExpressionAttributeNames: { '#plan': 'plan' },
            ExpressionAttributeValues: { ':plan': plan },
          }),
        );
      }
    }
    const owners = new Set(organizations.map(([, o]) => o.owner));
    const first = organizations[0]?.[0];
    const members = people.filter(([who, p]) => p.role && !owners.has(who) && (p.of ?? first));
    await inBatches(members, 10, ([who, p]) =>
      join(who, org[(p.of ?? first) as O], p.role as Role),
    );

    const rest: Omit<WorldCore<P, O>, 'cognito' | 'documents'> = {
      dataDirectory,
      ids,
      sessions,
      emails,
      org,
      slugs,
      organizationId: first ? org[first] : '',
      table,
      scan: async (model) => {
        const items: Record<string, unknown>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await target.documents.send(
            new ScanCommand({
              TableName: table(model),
              ExclusiveStartKey: start,
              ConsistentRead: true,
            }),
          );
          items.push(...(page.Items ?? []));
          start = page.LastEvaluatedKey;
        } while (start);
        return items;
      },
      item: async (model, id) =>
        (
          await target.documents.send(
            new GetCommand({ TableName: table(model), Key: { id }, ConsistentRead: true }),
          )
        ).Item,
      gql,
      ok,
      post,
      signIn,
      signUp: async (email) => {
        await target.cognito.createConfirmedUser(email, PASSWORD);
        const session = await target.cognito.signIn(email, PASSWORD);
        return { session, id: subOf(session) };
      },
      join,
      live: async (who, query, variables) => {
        const token = tokenOf(who) ?? '';
        const socket = await openRealtime(started().urls.realtime, started().urls.graphql, token);
        sockets.push(socket);
        return subscribe(
          socket,
          started().urls.graphql,
          token,
          query,
          (variables ?? {}) as Record<string, unknown>,
        );
      },
      mailbox: () => readMailbox(started().urls.mailbox),
      mailedCode: async (email, nth = 0) => {
        const mail = await waitFor(
          async () =>
            (await readMailbox(started().urls.mailbox)).filter((m) => m.to.includes(email))[nth],
        );
        const code = /\b(\d{6})\b/.exec(`${mail.subject} ${mail.text}`)?.[1];
        if (!code) throw new Error(`no code in ${mail.text}`);
        return code;
      },
      requestSignUp: async (email, attributes = {}) => {
        await target.cognito.client.send(
          new SignUpCommand({
            ClientId: started().userPoolClientId,
            Username: email,
            Password: PASSWORD,
            UserAttributes: Object.entries({ email, ...attributes }).map(([Name, Value]) => ({
              Name,
              Value,
            })),
          }),
        );
        return target.mailedCode(email);
      },
      confirmSignUp: async (email, code) => {
        await target.cognito.client.send(
          new ConfirmSignUpCommand({
            ClientId: started().userPoolClientId,
            Username: email,
            ConfirmationCode: code,
          }),
        );
      },
      postConfirmationEvent: (userAttributes) => ({
        version: '1',
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        region: 'us-east-1',
        userPoolId: started().userPoolId,
        userName: userAttributes.sub,
        callerContext: { awsSdkVersion: 'local', clientId: started().userPoolClientId },
        request: { userAttributes: { email_verified: 'true', ...userAttributes } },
        response: {},
      }),
      restart: async () => {
        await running?.stop();
        running = undefined;
        closeClients();
        Object.assign(target, await parts());
      },
      stop,
    };
    const crash = async () => {
      const victim = running;
      running = undefined;
      if (!victim?.kill) throw new Error('no runtime of its own process to kill');
      return victim.kill();
    };
    return Object.assign(target, rest, spec.ownProcess ? { crash } : {});
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Gives a suite its world in one line: started before its tests, stopped after them, and stopped
 * even when the start fails or outlives its hook's timeout (the start is aborted and awaited).
 * The returned object is filled in when the suite's tests run.
 */
export function useWorld<P extends string, O extends string = never>(
  spec: WorldSpec<P, O> & { ownProcess: true },
  timeoutMs?: number,
): ProcessWorld<P, O>;
export function useWorld<P extends string, O extends string = never>(
  spec: WorldSpec<P, O>,
  timeoutMs?: number,
): World<P, O>;
export function useWorld<P extends string, O extends string = never>(
  spec: WorldSpec<P, O>,
  timeoutMs = 240_000,
): AnyWorld<P, O> {
  const world = {} as AnyWorld<P, O>;
  const aborter = new AbortController();
  let starting: Promise<AnyWorld<P, O>> | undefined;
  beforeAll(async () => {
    starting = startWorld(spec, aborter.signal, world as World<P, O>);
    await starting;
  }, timeoutMs);
  afterAll(async () => {
    aborter.abort();
    const started = await starting?.catch(() => undefined);
    await started?.stop();
  }, timeoutMs);
  return world;
}
