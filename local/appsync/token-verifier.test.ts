import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTokenVerifier,
  TokenVerificationError,
  type TokenVerifier,
  tokenFromAuthorization,
} from './token-verifier';
import {
  cognitoClaims,
  createTestKey,
  signToken,
  startJwksServer,
  tamperedToken,
  unsignedToken,
} from './test-tokens';

const issuer = 'https://cognito-idp.localhost/local_pool';
const clientId = 'client-1';
const key = createTestKey('CognitoLocal');
const otherKey = createTestKey('CognitoLocal');
let jwks: Awaited<ReturnType<typeof startJwksServer>>;
let verify: TokenVerifier;

beforeAll(async () => {
  jwks = await startJwksServer([key]);
  verify = createTokenVerifier({ issuer, jwksUri: jwks.jwksUri, clientId });
});
afterAll(() => jwks.stop());

const claims = (over: Partial<Parameters<typeof cognitoClaims>[0]> = {}) =>
  cognitoClaims({ issuer, clientId, sub: 'user-1', groups: ['org-a'], ...over });

describe('createTokenVerifier', () => {
  it('accepts an access token of the client and returns its claims', async () => {
    const verified = await verify(signToken(key, claims()));
    expect(verified.sub).toBe('user-1');
    expect(verified['cognito:groups']).toEqual(['org-a']);
  });

  it('accepts an ID token whose aud is the client', async () => {
    await expect(verify(signToken(key, claims({ use: 'id' })))).resolves.toMatchObject({
      token_use: 'id',
    });
  });

  it.each([
    ['a missing token', () => undefined, 'Valid authorization header not provided.'],
    [
      'an expired token (no grace)',
      () => signToken(key, { ...claims(), exp: Math.floor(Date.now() / 1000) - 1 }),
      'Token has expired.',
    ],
    [
      'a wrong issuer',
      () => signToken(key, claims({ issuer: 'https://cognito-idp.localhost/other_pool' })),
      'Unauthorized',
    ],
    [
      'an access token of another client',
      () => signToken(key, claims({ clientId: 'client-2' })),
      'app client',
    ],
    [
      'an ID token of another client',
      () => signToken(key, claims({ use: 'id', clientId: 'client-2' })),
      'app client',
    ],
    [
      'an unsigned alg:none token',
      () => unsignedToken({ ...claims(), 'cognito:groups': ['Admin'] }),
      'Unauthorized',
    ],
    ['a token re-signed with another key', () => signToken(otherKey, claims()), 'Unauthorized'],
    [
      'tampered claims',
      () => tamperedToken(signToken(key, claims()), { 'cognito:groups': ['org-b'] }),
      'Unauthorized',
    ],
    ['an HS256 token', () => signToken(key, claims(), { alg: 'HS256' }), 'Unauthorized'],
    ['garbage', () => 'not-a-jwt', 'Unauthorized'],
  ])('rejects %s', async (_name, token, message) => {
    const result = verify(token());
    await expect(result).rejects.toBeInstanceOf(TokenVerificationError);
    await expect(verify(token())).rejects.toThrow(message);
  });
});

describe('the verified tokens it remembers', () => {
  it('still refuses a token once it has expired, though it accepted it before', async () => {
    const token = signToken(key, { ...claims(), exp: Math.floor(Date.now() / 1000) + 2 });
    await expect(verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    await expect(verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await expect(verify(token)).rejects.toThrow('Token has expired.');
  });

  it('hands each caller its own copy of the claims', async () => {
    const token = signToken(key, claims());
    const first = await verify(token);
    first.sub = 'someone-else';
    expect((await verify(token)).sub).toBe('user-1');
  });

  it('remembers nothing of a refused token', async () => {
    const forged = tamperedToken(signToken(key, claims()), { sub: 'user-2' });
    await expect(verify(forged)).rejects.toBeInstanceOf(TokenVerificationError);
    await expect(verify(forged)).rejects.toBeInstanceOf(TokenVerificationError);
  });
});

describe('tokenFromAuthorization', () => {
  it('accepts a bare token or a Bearer token', () => {
    expect(tokenFromAuthorization('abc')).toBe('abc');
    expect(tokenFromAuthorization('Bearer abc')).toBe('abc');
    expect(tokenFromAuthorization(undefined)).toBeUndefined();
  });
});
