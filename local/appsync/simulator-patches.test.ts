import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CloudAssembly } from '../assembly';
import { PROJECT_ROOT } from '../paths';
import { LocalAppSyncSimulator } from './local-simulator';
import { toSimulatorConfig } from './simulator-config';
import { PINNED_SIMULATOR_VERSION } from './simulator-module';
import {
  applySimulatorPatches,
  loadSimulatorInternals,
  type PatchTarget,
  SIMULATOR_PATCHES,
  type SimulatorInternals,
  type SimulatorPatch,
  SimulatorPatchError,
  simulatorServer,
} from './simulator-patches';

const tiny: CloudAssembly = {
  directory: '',
  modelIntrospection: {},
  tables: [],
  functions: [],
  eventSourceMappings: [],
  userPool: {
    triggers: {},
    usernameAttributes: [],
    autoVerifiedAttributes: [],
    passwordPolicy: {},
    schema: [],
  },
  schema: /* GraphQL */ `
    type Query {
      ping: String! @aws_cognito_user_pools
    }
    type Mutation {
      poke: String @aws_cognito_user_pools
    }
    type Subscription {
      onPoke: String @aws_subscribe(mutations: ["poke"]) @aws_cognito_user_pools
    }
  `,
  dataSources: [{ name: 'FN', type: 'AWS_LAMBDA', functionName: 'fn' }],
  pipelineFunctions: [],
  resolvers: [
    {
      typeName: 'Query',
      fieldName: 'ping',
      kind: 'UNIT',
      dataSourceName: 'FN',
      runtime: 'VTL',
      requestTemplate: '{"version":"2018-05-29","operation":"Invoke","payload":{}}',
      // The generated hand-on, which the pass-through patch answers without a render.
      responseTemplate:
        '#if( $ctx.error )\n  $util.error($ctx.error.message, $ctx.error.type)\n#end\n$util.toJson($ctx.result)',
    },
  ],
};

/** A simulator after init, as startAppSync has it before the patches (not listening). */
function initialisedSimulator(invoke: (name: string, payload: unknown) => Promise<unknown>) {
  const { config, js } = toSimulatorConfig(tiny, {
    dynamoDbEndpoint: 'http://127.0.0.1:1',
    invokeFunction: invoke,
  });
  const simulator = new LocalAppSyncSimulator({ port: 0 }, js);
  simulator.init(config);
  return simulator;
}

/** The token check, which none of these tests reaches. */
const noVerify = () => Promise.resolve({ iss: 'test' });

function targetWith(internals: Partial<SimulatorInternals> = {}): PatchTarget {
  return {
    internals: { ...loadSimulatorInternals(), ...internals },
    simulator: initialisedSimulator(() => Promise.resolve('pong')),
    verify: noVerify,
  };
}

const patchNamed = (name: string): SimulatorPatch => {
  const patch = SIMULATOR_PATCHES.find((p) => p.name === name);
  if (!patch) throw new Error(`no patch ${name}`);
  return patch;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('LocalVelocityTemplate', () => {
  // First in the file: the class patches are applied once per process.
  it('renders only once the patches are applied', () => {
    const simulator = initialisedSimulator(() => Promise.resolve(null));
    const template = simulator.getMappingTemplate('resolvers/Query.ping.res.vtl');
    const values = { source: {}, result: 'pong', arguments: {}, stash: {} };
    const context = { headers: {}, requestAuthorizationMode: 'x', appsyncErrors: [] };
    expect(() => template.render(values, context as never)).toThrow(/applySimulatorPatches/);
    applySimulatorPatches(simulator, { verify: noVerify });
    expect(template.render(values, context as never)).toMatchObject({ result: 'pong' });
  });
});

describe('simulator patches', () => {
  it(`are written for the installed simulator, ${PINNED_SIMULATOR_VERSION}`, () => {
    const manifest = path.join(
      PROJECT_ROOT,
      'node_modules/@aws-amplify/amplify-appsync-simulator/package.json',
    );
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    expect(version).toBe('2.16.20');
    expect(PINNED_SIMULATOR_VERSION).toBe(version);
    expect(loadSimulatorInternals().version).toBe(version);
  });

  it('each have a name, a reason and a scope, and the names are unique', () => {
    const names = SIMULATOR_PATCHES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const patch of SIMULATOR_PATCHES) {
      expect(patch.name).toMatch(/^[a-z0-9-]+$/);
      expect(patch.why.length).toBeGreaterThan(40);
    }
  });

  it.each(SIMULATOR_PATCHES.map((p) => [p.name, p] as const))(
    '%s: its check passes on the installed simulator',
    (_name, patch) => {
      expect(() => patch.check(targetWith())).not.toThrow();
    },
  );

  it.each(SIMULATOR_PATCHES.map((p) => [p.name, p] as const))(
    '%s: its check fails on another version, naming the patch and the pinned version',
    (name, patch) => {
      const check = () => patch.check(targetWith({ version: '2.17.0' }));
      expect(check).toThrow(SimulatorPatchError);
      expect(check).toThrow(`"${name}"`);
      expect(check).toThrow(`2.17.0 (written for ${PINNED_SIMULATOR_VERSION})`);
    },
  );

  it('rejects a replaced function whose arity changed', () => {
    const authHelpers = { extractJwtToken: (_a: unknown, _b: unknown) => undefined };
    expect(() => patchNamed('jwt-decode-base64url').check(targetWith({ authHelpers }))).toThrow(
      /"jwt-decode-base64url".*extractJwtToken takes 2 parameter\(s\), not 1/,
    );
  });

  it('rejects a replaced function whose source lost what the patch relies on', () => {
    class LambdaDataLoader {
      load(_req: unknown, _extra: unknown) {
        return Promise.resolve(undefined);
      }
    }
    expect(() =>
      patchNamed('quiet-lambda-errors').check(
        targetWith({ lambdaDataLoader: { LambdaDataLoader } }),
      ),
    ).toThrow(/"quiet-lambda-errors".*load no longer contains `'BatchInvoke'`/);
  });

  it('rejects a function that is gone', () => {
    expect(() => patchNamed('subscription-filters').check(targetWith({ schema: {} }))).toThrow(
      /"subscription-filters".*generateResolvers is not a function any more/,
    );
  });

  it('checks every patch before applying any', () => {
    const applied: string[] = [];
    const fits = (name: string): SimulatorPatch => ({
      name,
      why: 'test',
      scope: 'instance',
      check: () => {},
      apply: () => applied.push(name),
    });
    const broken: SimulatorPatch = {
      ...fits('broken'),
      check: () => {
        throw new SimulatorPatchError('broken', 'changed', '9.9.9');
      },
    };
    const simulator = initialisedSimulator(() => Promise.resolve(null));
    expect(() =>
      applySimulatorPatches(simulator, { verify: noVerify }, [fits('a'), broken, fits('b')]),
    ).toThrow(SimulatorPatchError);
    expect(applied).toEqual([]);
  });

  it('quiet-lambda-errors: a failing invoke still rejects, without printing the stack', async () => {
    const simulator = initialisedSimulator(() => Promise.reject(new Error('FORBIDDEN')));
    applySimulatorPatches(simulator, { verify: noVerify });
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    const loader = simulator.getDataLoader('FN') as unknown as {
      load: (req: unknown, extra: unknown) => Promise<unknown>;
    };
    await expect(loader.load({ operation: 'Invoke', payload: {} }, {})).rejects.toThrow(
      'FORBIDDEN',
    );
    expect(printed).not.toHaveBeenCalled();
  });

  it('realtime-bad-json: a message that is not JSON is answered with an error', () => {
    const simulator = initialisedSimulator(() => Promise.resolve(null));
    applySimulatorPatches(simulator, { verify: noVerify });
    const realtime = simulatorServer(simulator).realtime.realtimeServer;
    const sent = vi.spyOn(realtime, 'sendError').mockImplementation(() => {});
    const context = { socket: {}, request: {} } as Parameters<typeof realtime.onMessage>[0];
    expect(() => realtime.onMessage(context, '{nope')).not.toThrow();
    expect(sent).toHaveBeenCalledWith(context, '', {
      errors: [{ message: 'Message is not valid JSON.', errorCode: 400 }],
    });
  });
});
