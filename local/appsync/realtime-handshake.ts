/**
 * The AppSync real-time handshake in both of its forms: `?header=<base64>&payload=<base64>` query
 * parameters (what the simulator reads), and the aws-amplify v6 form, subprotocols `graphql-ws`
 * and `header-<base64url of the auth JSON>`.
 */

/** The auth header and payload a real-time client sent, however it sent them. */
export type RealtimeHandshake = {
  /** The decoded auth header object (`{ host, Authorization }`), if any was sent. */
  header: Record<string, unknown> | undefined;
  /** The base64 connection payload (`e30=` is `{}`). */
  payload: string;
  /** The subprotocols the client offered, in order. */
  protocols: string[];
};

/** A handshake whose header could not be decoded. */
export class RealtimeHandshakeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RealtimeHandshakeError';
  }
}

const HEADER_PROTOCOL_PREFIX = 'header-';

function decodeJson(encoded: string): Record<string, unknown> {
  try {
    // Node's base64 decoder accepts both the standard and the URL-safe alphabet, padded or not.
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new RealtimeHandshakeError('The real-time auth header is not base64-encoded JSON.', {
      cause: err,
    });
  }
}

/** Reads the handshake from the request URL and its Sec-WebSocket-Protocol header. */
export function readRealtimeHandshake(
  url: string,
  protocolHeader: string | undefined,
): RealtimeHandshake {
  const parsed = new URL(url, 'http://localhost');
  const protocols = (protocolHeader ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const fromQuery = parsed.searchParams.get('header');
  const fromProtocol = protocols
    .find((p) => p.startsWith(HEADER_PROTOCOL_PREFIX))
    ?.slice(HEADER_PROTOCOL_PREFIX.length);
  const encoded = fromQuery || fromProtocol;
  return {
    header: encoded ? decodeJson(encoded) : undefined,
    payload: parsed.searchParams.get('payload') || 'e30=',
    protocols,
  };
}

/** The URL the simulator understands: the same path with the header in the query string. */
export function toQueryParameterUrl(url: string, handshake: RealtimeHandshake): string {
  const parsed = new URL(url, 'http://localhost');
  const params = new URLSearchParams();
  params.set(
    'header',
    Buffer.from(JSON.stringify(handshake.header ?? {}), 'utf8').toString('base64'),
  );
  params.set('payload', handshake.payload);
  return `${parsed.pathname}?${params.toString()}`;
}

/** The Authorization value in a decoded auth header (case-insensitive name). */
export function authorizationOf(header: Record<string, unknown> | undefined): string | undefined {
  if (!header) return undefined;
  const key = Object.keys(header).find((k) => k.toLowerCase() === 'authorization');
  const value = key ? header[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}
