import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** A signing key and the JWK that publishes it. */
export type TestKey = { kid: string; privateKey: KeyObject; jwk: Record<string, unknown> };

/** A fresh RSA key for signing test tokens. */
export function createTestKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, jwk };
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Signs claims as an RS256 JWT with the key (header alg and kid can be overridden). */
export function signToken(
  key: TestKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }));
  const body = b64url(JSON.stringify(claims));
  const signer = createSign('RSA-SHA256');
  signer.update(`${head}.${body}`);
  return `${head}.${body}.${signer.sign(key.privateKey).toString('base64url')}`;
}

/** An unsigned `alg: none` token. */
export function unsignedToken(claims: Record<string, unknown>): string {
  return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.`;
}

/** A token whose payload was changed after signing (the signature no longer matches). */
export function tamperedToken(token: string, changes: Record<string, unknown>): string {
  const [head, body, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  return `${head}.${b64url(JSON.stringify({ ...claims, ...changes }))}.${signature}`;
}

/** A tiny JWKS endpoint serving the public keys given. */
export async function startJwksServer(
  keys: TestKey[],
): Promise<{ jwksUri: string; server: Server; stop: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    jwksUri: `http://127.0.0.1:${port}/local_pool/.well-known/jwks.json`,
    server,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Claims of a Cognito token issued now for the pool and client. */
export function cognitoClaims(options: {
  issuer: string;
  clientId: string;
  sub: string;
  groups?: string[];
  use?: 'id' | 'access';
  lifetimeSeconds?: number;
}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const use = options.use ?? 'access';
  return {
    sub: options.sub,
    iss: options.issuer,
    token_use: use,
    ...(use === 'id'
      ? { aud: options.clientId, 'cognito:username': options.sub }
      : { client_id: options.clientId, username: options.sub }),
    ...(options.groups ? { 'cognito:groups': options.groups } : {}),
    iat: now,
    auth_time: now,
    exp: now + (options.lifetimeSeconds ?? 3600),
  };
}
