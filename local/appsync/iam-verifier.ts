import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** Credentials the local runtime hands a Lambda function (one principal per function). */
export type LocalIamPrincipal = {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
};

/** A request whose SigV4 signature does not hold; the message says which part failed. */
export class SignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureError';
  }
}

/** How far a signature's time may be from now, as AWS allows. */
const MAX_SKEW_MS = 5 * 60_000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** True for an `Authorization` header that claims a SigV4 (IAM) signature. */
export const isSigV4 = (authorization: string | undefined): boolean =>
  typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256');

function parseAmzDate(value: string | undefined): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) throw new SignatureError('X-Amz-Date is missing or malformed.');
  const [, y, mo, d, h, mi, s] = match;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/**
 * Verifies an AppSync request signed with SigV4 the way AWS does: the credential scope (key,
 * date, region, service `appsync`), the time, the body's hash and the signature over the signed
 * headers, recomputed with the principal's secret. Returns the access key that signed it.
 */
export async function verifySigV4(
  request: { method: string; path: string; headers: IncomingHttpHeaders; body: Buffer },
  principals: LocalIamPrincipal | ((accessKeyId: string) => LocalIamPrincipal | undefined),
  now: Date = new Date(),
): Promise<{ accessKeyId: string }> {
  const match = AUTHORIZATION.exec(header(request.headers, 'authorization') ?? '');
  if (!match) throw new SignatureError('The Authorization header is not a SigV4 signature.');
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] =
    match as unknown as [string, string, string, string, string, string, string];
  const principal =
    typeof principals === 'function'
      ? principals(accessKeyId)
      : principals.accessKeyId === accessKeyId
        ? principals
        : undefined;
  if (!principal) {
    throw new SignatureError('The security token included in the request is invalid.');
  }
  if (service !== 'appsync' || region !== principal.region) {
    throw new SignatureError(`Credential should be scoped to ${principal.region}/appsync.`);
  }
  const signedAt = parseAmzDate(header(request.headers, 'x-amz-date'));
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    throw new SignatureError('Signature expired: the request time is too far from now.');
  }
  if (scopeDate !== header(request.headers, 'x-amz-date')?.slice(0, 8)) {
    throw new SignatureError('The credential scope date does not match X-Amz-Date.');
  }
  const signedNames = signedHeaderList.split(';');
  if (!signedNames.includes('host') || !signedNames.includes('x-amz-date')) {
    throw new SignatureError('host and x-amz-date must be signed.');
  }
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const claimedHash = header(request.headers, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash !== bodyHash) {
    throw new SignatureError('The body does not match X-Amz-Content-Sha256.');
  }
  const signedHeaders: Record<string, string> = {};
  for (const name of signedNames) {
    const value = header(request.headers, name);
    if (value === undefined) throw new SignatureError(`Signed header ${name} is missing.`);
    signedHeaders[name] = value;
  }
  const url = new URL(request.path, 'http://localhost');
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => (query[key] = value));
  const signer = new SignatureV4({
    service,
    region,
    credentials: { accessKeyId, secretAccessKey: principal.secretAccessKey },
    sha256: Sha256,
    applyChecksum: claimedHash !== undefined,
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: signedHeaders.host ?? '',
      path: url.pathname,
      query,
      headers: signedHeaders,
      body: request.body.toString('utf8'),
    },
    { signingDate: signedAt },
  );
  const recomputed = /Signature=([0-9a-f]{64})/.exec(
    String(expected.headers.authorization ?? expected.headers.Authorization),
  )?.[1];
  if (
    !recomputed ||
    !timingSafeEqual(Buffer.from(recomputed, 'hex'), Buffer.from(signature, 'hex'))
  ) {
    throw new SignatureError(
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  return { accessKeyId };
}
