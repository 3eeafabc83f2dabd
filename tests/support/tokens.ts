import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Splits a JWT into its decoded header and payload. */
export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >,
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >,
  };
}

/** Encodes and RS256-signs a JWT with the given key (or leaves it unsigned for alg "none"). */
export function encodeJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key?: KeyObject,
): string {
  const body = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  if (!key) return `${body}.`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), key).toString('base64url')}`;
}

/** The signing key cognito-local ships (public in its package): tokens signed with it are "genuine". */
export function cognitoLocalKey(): KeyObject {
  const file = require.resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  const { jwk } = JSON.parse(readFileSync(file, 'utf8')) as { jwk: Record<string, string> };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

/** A key nobody trusts, with the same key id, to re-sign tokens. */
export function foreignKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

/** The forged variants of a genuine token, each of which must be refused. */
export function forgeries(genuine: string): Record<string, string> {
  const { header, payload } = decodeJwt(genuine);
  const now = Math.floor(Date.now() / 1000);
  const trusted = cognitoLocalKey();
  return {
    unsigned: encodeJwt({ ...header, alg: 'none' }, { ...payload, 'cognito:groups': ['Admin'] }),
    're-signed with another key': encodeJwt(header, payload, foreignKey()),
    'tampered groups': `${encodeJwt(header, { ...payload, 'cognito:groups': ['org-someone-else'] }).slice(0, -1)}.${genuine.split('.')[2]}`,
    'expired by a second': encodeJwt(
      header,
      { ...payload, iat: now - 3601, exp: now - 1 },
      trusted,
    ),
    'wrong issuer': encodeJwt(
      header,
      { ...payload, iss: 'https://cognito-idp.localhost/us-east-1_other' },
      trusted,
    ),
    'wrong client': encodeJwt(
      header,
      { ...payload, client_id: 'another-client', aud: 'another-client' },
      trusted,
    ),
  };
}
