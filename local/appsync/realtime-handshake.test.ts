import { describe, expect, it } from 'vitest';
import {
  authorizationOf,
  readRealtimeHandshake,
  RealtimeHandshakeError,
  toQueryParameterUrl,
} from './realtime-handshake';

const header = { host: 'localhost:20002', Authorization: 'eyJ.token.sig' };
const b64url = Buffer.from(JSON.stringify(header)).toString('base64url');
const b64 = Buffer.from(JSON.stringify(header)).toString('base64');

describe('readRealtimeHandshake', () => {
  it('reads the aws-amplify v6 subprotocol form', () => {
    const handshake = readRealtimeHandshake('/graphql/realtime', `graphql-ws, header-${b64url}`);
    expect(handshake.header).toEqual(header);
    expect(handshake.payload).toBe('e30=');
    expect(handshake.protocols).toEqual(['graphql-ws', `header-${b64url}`]);
  });

  it('reads the query-parameter form', () => {
    const handshake = readRealtimeHandshake(
      `/graphql/realtime?header=${encodeURIComponent(b64)}&payload=e30=`,
      'graphql-ws',
    );
    expect(handshake.header).toEqual(header);
    expect(authorizationOf(handshake.header)).toBe('eyJ.token.sig');
  });

  it('has no header when none was sent', () => {
    expect(readRealtimeHandshake('/graphql/realtime', 'graphql-ws').header).toBeUndefined();
  });

  it('rejects a header that is not base64 JSON', () => {
    expect(() => readRealtimeHandshake('/graphql/realtime', 'graphql-ws, header-!!!')).toThrow(
      RealtimeHandshakeError,
    );
  });
});

describe('toQueryParameterUrl', () => {
  it('puts the header where the simulator reads it', () => {
    const url = toQueryParameterUrl(
      '/graphql/realtime',
      readRealtimeHandshake('/graphql/realtime', `graphql-ws,header-${b64url}`),
    );
    const params = new URL(url, 'http://x').searchParams;
    expect(new URL(url, 'http://x').pathname).toBe('/graphql/realtime');
    expect(JSON.parse(Buffer.from(params.get('header') ?? '', 'base64').toString())).toEqual(
      header,
    );
    expect(params.get('payload')).toBe('e30=');
  });
});
