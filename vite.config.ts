import { defineConfig, type ProxyOptions } from 'vite';

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
  // The SES emulator's own page calls these absolute paths, so it works when opened at /mailbox/.
  '/store': { target: `http://127.0.0.1:${mailPort}`, changeOrigin: true },
  '/clear-store': { target: `http://127.0.0.1:${mailPort}`, changeOrigin: true },
  '/get-emlContent': { target: `http://127.0.0.1:${mailPort}`, changeOrigin: true },
};

export default defineConfig({
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
