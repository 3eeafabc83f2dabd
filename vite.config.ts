import { defineConfig, type Logger, type Plugin, type ProxyOptions } from 'vite';

/** Reads a port of the local runtime from the environment, failing loudly on nonsense. */
const portFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a whole number between 1 and 65535, got "${raw}"`);
  }
  return port;
};

const graphqlPort = portFromEnv('STEWARD_GRAPHQL_PORT', 20003);
const cognitoPort = portFromEnv('STEWARD_COGNITO_PORT', 20002);
const mailPort = portFromEnv('STEWARD_MAIL_PORT', 20004);

/**
 * The local runtime's services, made same-origin: the SES emulator answers no CORS preflight,
 * and cognito-local listens on 127.0.0.1 only (so never `localhost`, which may resolve to ::1).
 */
const proxy: Record<string, ProxyOptions> = {
  '/graphql': { target: `http://127.0.0.1:${graphqlPort}`, ws: true, changeOrigin: true },
  '/cognito': {
    target: `http://127.0.0.1:${cognitoPort}`,
    changeOrigin: true,
    rewrite: (path) => path.replace(/^\/cognito/, '') || '/',
  },
  '/mailbox': {
    target: `http://127.0.0.1:${mailPort}`,
    changeOrigin: true,
    rewrite: (path) => path.replace(/^\/mailbox/, '') || '/',
  },
  // The mailbox page fetches `store` and `clear-store` relative to itself: at /mailbox (no
  // slash) those are these absolute paths (and the emulator's .eml download beside them).
  '/store': { target: `http://127.0.0.1:${mailPort}`, changeOrigin: true },
  '/clear-store': { target: `http://127.0.0.1:${mailPort}`, changeOrigin: true },
  '/get-emlContent': { target: `http://127.0.0.1:${mailPort}`, changeOrigin: true },
};

/** Socket errors of a peer that went away (a tab reloaded or closed): normal, so not logged. */
const PEER_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * What to log for one of Vite's error messages: the message unchanged unless it is a proxy's
 * (`http proxy error`, `ws proxy error`, `ws proxy socket error`, each followed by a stack);
 * then nothing when the peer went away, otherwise one line with the error's code and message.
 */
export function proxyErrorLine(
  message: string,
  error?: { code?: string; message?: string },
): string | undefined {
  const first = message.split('\n', 1)[0] ?? '';
  // eslint-disable-next-line no-control-regex -- Vite colours the heading with ANSI escapes
  const plain = first.replace(/\u001b\[[0-9;]*m/g, '');
  if (!/^(http|ws) proxy (socket )?error/.test(plain)) return message;
  const code = error?.code;
  if (code && PEER_GONE.has(code)) return undefined;
  return `${plain.replace(/:?\s*$/, '')}: ${[code, error?.message].filter(Boolean).join(' ')}`;
}

/** Logs the dev and preview servers' proxy errors through `proxyErrorLine`. */
function quietProxyErrors(): Plugin {
  const wrap = (logger: Logger) => {
    const error = logger.error.bind(logger);
    logger.error = (message, options) => {
      const line = proxyErrorLine(message, options?.error as { code?: string } | undefined);
      if (line !== undefined) error(line, line === message ? options : { timestamp: true });
    };
  };
  return {
    name: 'steward-quiet-proxy-errors',
    configureServer: (server) => wrap(server.config.logger),
    configurePreviewServer: (server) => wrap(server.config.logger),
  };
}

export default defineConfig({
  plugins: [quietProxyErrors()],
  // Vite 8 transforms TSX with oxc itself; the automatic runtime means no `import React`.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 5173, strictPort: true, proxy },
  build: {
    outDir: 'dist',
    sourcemap: true,
    rolldownOptions: {
      onLog(level, log, handler) {
        // Radix's "use client" markers mean nothing in a client-only bundle; keep real warnings.
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
