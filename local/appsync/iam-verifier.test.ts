import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { isSigV4, SignatureError, verifySigV4 } from './iam-verifier';

const principal = { accessKeyId: 'ASIALOCALTEST', secretAccessKey: 's3cret', region: 'us-east-1' };
const body = JSON.stringify({ query: 'mutation { publishNotification { id } }' });
const at = new Date('2026-11-25T12:00:00Z');

async function signed(
  overrides: { secret?: string; service?: string; region?: string; checksum?: boolean } = {},
) {
  const signer = new SignatureV4({
    service: overrides.service ?? 'appsync',
    region: overrides.region ?? principal.region,
    credentials: {
      accessKeyId: principal.accessKeyId,
      secretAccessKey: overrides.secret ?? principal.secretAccessKey,
    },
    sha256: Sha256,
    applyChecksum: overrides.checksum ?? true,
  });
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 20003,
      path: '/graphql',
      query: {},
      headers: { host: '127.0.0.1:20003', 'content-type': 'application/json' },
      body,
    },
    { signingDate: at },
  );
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return { method: 'POST', path: '/graphql', headers, body: Buffer.from(body) };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SignatureError);
    return (err as Error).message;
  }
  throw new Error('expected the signature to be refused');
}

describe('verifySigV4', () => {
  it('accepts a request signed by the principal, with or without the body hash header', async () => {
    await expect(verifySigV4(await signed(), principal, at)).resolves.toEqual({
      accessKeyId: principal.accessKeyId,
    });
    await expect(verifySigV4(await signed({ checksum: false }), principal, at)).resolves.toEqual({
      accessKeyId: principal.accessKeyId,
    });
  });

  it('refuses a signature made with another secret', async () => {
    expect(await failure(verifySigV4(await signed({ secret: 'guess' }), principal, at))).toMatch(
      /does not match/,
    );
  });

  it('refuses a changed body, whether or not its hash header was updated', async () => {
    const request = await signed();
    const tampered = Buffer.from(body.replace('id', 'subject'));
    expect(await failure(verifySigV4({ ...request, body: tampered }, principal, at))).toMatch(
      /X-Amz-Content-Sha256/,
    );
    const unhashed = await signed({ checksum: false });
    expect(await failure(verifySigV4({ ...unhashed, body: tampered }, principal, at))).toMatch(
      /does not match/,
    );
  });

  it('refuses a changed signed header', async () => {
    const request = await signed();
    const moved = { ...request, headers: { ...request.headers, host: 'evil.example:80' } };
    expect(await failure(verifySigV4(moved, principal, at))).toMatch(/does not match/);
  });

  it('refuses another key, service or region', async () => {
    expect(
      await failure(verifySigV4(await signed(), { ...principal, accessKeyId: 'OTHER' }, at)),
    ).toMatch(/invalid/);
    expect(
      await failure(verifySigV4(await signed({ service: 'execute-api' }), principal, at)),
    ).toMatch(/scoped/);
    expect(
      await failure(verifySigV4(await signed({ region: 'eu-west-1' }), principal, at)),
    ).toMatch(/scoped/);
  });

  it('refuses a signature more than five minutes from now', async () => {
    const request = await signed();
    expect(
      await failure(verifySigV4(request, principal, new Date(at.getTime() + 5 * 60_000 + 1_000))),
    ).toMatch(/expired/);
    await expect(
      verifySigV4(request, principal, new Date(at.getTime() + 4 * 60_000)),
    ).resolves.toBeTruthy();
  });

  it('refuses a header that only looks like SigV4', async () => {
    const request = await signed();
    const broken = {
      ...request,
      headers: { ...request.headers, authorization: 'AWS4-HMAC-SHA256 Credential=x' },
    };
    expect(isSigV4(broken.headers.authorization)).toBe(true);
    expect(await failure(verifySigV4(broken, principal, at))).toMatch(/not a SigV4/);
  });
});
