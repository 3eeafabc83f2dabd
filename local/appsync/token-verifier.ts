import { JwtRsaVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache, SimplePenaltyBox } from 'aws-jwt-verify/jwk';

/** Where tokens come from: the local Cognito's issuer, its JWKS and the app client. */
export type TokenVerifierOptions = { issuer: string; jwksUri: string; clientId: string };

/** The verified claims of a Cognito ID or access token. */
export type VerifiedClaims = Record<string, unknown> & {
  sub?: string;
  iss: string;
  token_use?: string;
};

/** Verifies a raw JWT (no `Bearer ` prefix); rejects with a TokenVerificationError. */
export type TokenVerifier = (token: string | undefined) => Promise<VerifiedClaims>;

/** Why a request was refused before reaching any resolver; shaped as AppSync's 401. */
export class TokenVerificationError extends Error {
  readonly errorType = 'UnauthorizedException';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenVerificationError';
  }
}

/** How many verified tokens are remembered; the oldest goes first. */
const VERIFIED_TOKENS_KEPT = 10_000;

/** Fetches the JWKS over http or https (the library's own fetcher speaks https only). */
const anyProtocolFetcher: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`JWKS request to ${uri} answered ${response.status}`);
    return response.arrayBuffer();
  },
};

/**
 * A verifier that checks the RS256 signature against the JWKS, the issuer, expiry (no grace) and
 * the app client: ID tokens by `aud`, access tokens by `client_id`.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const jwksCache = new SimpleJwksCache({
    fetcher: anyProtocolFetcher,
    // A short back-off: locally the pool's keys appear when cognito-local starts.
    penaltyBox: new SimplePenaltyBox({ waitSeconds: 1 }),
  });
  const verifier = JwtRsaVerifier.create(
    {
      issuer: options.issuer,
      jwksUri: options.jwksUri,
      // The audience depends on the token kind, so it is checked in customJwtCheck.
      audience: null,
      graceSeconds: 0,
      customJwtCheck: ({ payload }) => {
        const tokenUse = payload.token_use;
        const clientOk =
          tokenUse === 'id'
            ? payload.aud === options.clientId
            : tokenUse === 'access'
              ? payload.client_id === options.clientId
              : payload.aud === options.clientId || payload.client_id === options.clientId;
        if (!clientOk) throw new Error('Token was not issued for this app client.');
      },
    },
    { jwksCache },
  );
  // A client sends the same token with every request until it refreshes it: what one request
  // verified, by the token's exact text, is taken as verified until the token expires (the
  // signature and the claims cannot differ for the same text). Each request then costs a map
  // lookup instead of an RSA verification.
  const verified = new Map<string, VerifiedClaims>();
  return async (token) => {
    if (!token) throw new TokenVerificationError('Valid authorization header not provided.');
    const known = verified.get(token);
    if (known) {
      if (typeof known.exp === 'number' && known.exp * 1000 > Date.now()) return { ...known };
      verified.delete(token); // expired: the verifier below says so
    }
    try {
      const claims = (await verifier.verify(token)) as VerifiedClaims;
      if (verified.size >= VERIFIED_TOKENS_KEPT)
        verified.delete(verified.keys().next().value ?? '');
      verified.set(token, claims);
      return { ...claims };
    } catch (err) {
      if (err instanceof JwtExpiredError)
        throw new TokenVerificationError('Token has expired.', { cause: err });
      const reason = err instanceof Error ? err.message : String(err);
      throw new TokenVerificationError(`Unauthorized: ${reason}`, { cause: err });
    }
  };
}

/** The raw token from an Authorization header value (AppSync accepts it with or without `Bearer `). */
export function tokenFromAuthorization(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const trimmed = raw.trim();
  return /^bearer\s+/i.test(trimmed) ? trimmed.replace(/^bearer\s+/i, '') : trimmed;
}
