// One Lambda execution environment: a long-lived process that imports one function's bundle and
// runs one invocation at a time, driven by lambda-runner.ts over the fork IPC channel.
// Plain JavaScript on purpose: it is forked without a TypeScript loader, so a cold start costs
// only Node's own start-up, as close to Lambda's init phase as a local process gets.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** @type {{ codeDirectory: string; handler: string; sdkParentUrl?: string }} */
const config = JSON.parse(process.argv[2] ?? '{}');

// The Lambda Node.js runtime ships the AWS SDK v3; bundles may leave `@aws-sdk/*` external.
// Resolve those from the project's node_modules when the bundle folder does not have them.
if (config.sdkParentUrl) {
  const hooks = `export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('@aws-sdk/')) throw err;
    return next(specifier, { ...context, parentURL: ${JSON.stringify(config.sdkParentUrl)} });
  }
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

/** The Lambda runtime's error payload for anything thrown by a handler. */
function toLambdaError(err, fallbackType) {
  if (err instanceof Error) {
    return {
      errorType: fallbackType ?? (err.name || 'Error'),
      errorMessage: err.message,
      trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
    };
  }
  return { errorType: fallbackType ?? typeof err, errorMessage: String(err), trace: [] };
}

function resolveHandler() {
  const dot = config.handler.lastIndexOf('.');
  const modulePath = config.handler.slice(0, dot);
  const exportName = config.handler.slice(dot + 1);
  const base = path.resolve(config.codeDirectory, modulePath);
  const file = ['.mjs', '.js', '.cjs']
    .map((ext) => base + ext)
    .find((candidate) => existsSync(candidate));
  if (!file) {
    const error = new Error(`Cannot find module '${modulePath}'`);
    error.name = 'Runtime.ImportModuleError';
    throw error;
  }
  return { file, exportName, modulePath };
}

async function loadHandler() {
  const { file, exportName, modulePath } = resolveHandler();
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    throw Object.assign(
      new Error(`Error: ${err instanceof Error ? err.message : String(err)}`, { cause: err }),
      {
        name: 'Runtime.ImportModuleError',
      },
    );
  }
  const handler = mod[exportName] ?? mod.default?.[exportName];
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${modulePath}.${exportName} is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return handler;
}

function send(message) {
  if (process.connected) process.send(message);
}

/** The invocation in flight, so an unhandled rejection can fail it as Lambda does. */
let current;

function finish(id, outcome) {
  if (!current || current.id !== id) return;
  current = undefined;
  send({ type: 'result', id, ...outcome });
}

function succeed(id, value) {
  let payload;
  try {
    payload = JSON.stringify(value === undefined ? null : value);
  } catch (err) {
    finish(id, { ok: false, error: toLambdaError(err, 'Runtime.ResponseSerializationError') });
    return;
  }
  finish(id, { ok: true, payload });
}

function fail(id, err) {
  finish(id, { ok: false, error: toLambdaError(err) });
}

let handler;
try {
  handler = await loadHandler();
  send({ type: 'ready' });
} catch (err) {
  send({ type: 'init-error', error: toLambdaError(err) });
  process.exit(1);
}

process.on('unhandledRejection', (reason) => {
  if (current)
    finish(current.id, {
      ok: false,
      error: toLambdaError(reason, 'Runtime.UnhandledPromiseRejection'),
    });
  process.exit(128);
});
process.on('uncaughtException', (err) => {
  if (current) finish(current.id, { ok: false, error: toLambdaError(err) });
  process.exit(129);
});

// The runtime went away (even by kill -9): an execution environment never outlives it.
process.on('disconnect', () => process.exit(0));

process.on('message', (message) => {
  if (!message || message.type !== 'invoke') return;
  const { id, event, context: info } = message;
  current = { id };
  const context = {
    ...info,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, info.deadlineMs - Date.now()),
    done: (err, value) => (err ? fail(id, err) : succeed(id, value)),
    succeed: (value) => succeed(id, value),
    fail: (err) => fail(id, err),
  };
  try {
    // Handlers written for callbacks declare three parameters; Lambda passes them a callback.
    const result =
      handler.length >= 3
        ? new Promise((resolve, reject) => {
            const maybe = handler(event, context, (err, value) =>
              err ? reject(err) : resolve(value),
            );
            if (maybe && typeof maybe.then === 'function') maybe.then(resolve, reject);
          })
        : handler(event, context);
    Promise.resolve(result).then(
      (value) => succeed(id, value),
      (err) => fail(id, err),
    );
  } catch (err) {
    fail(id, err);
  }
});
