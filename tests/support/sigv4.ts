import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { LOCAL_REGION } from '../../local/dynamodb';

type Credentials = { accessKeyId: string; secretAccessKey: string };

/**
 * Signs a GraphQL POST to `graphqlUrl` as an IAM caller would (SigV4, service `appsync`) and
 * sends it. `sentBody` replaces the body after signing, for tests of a tampered request.
 */
export async function postSigned(
  graphqlUrl: string,
  credentials: Credentials,
  body: string,
  sentBody: string = body,
): Promise<Response> {
  const signer = new SignatureV4({
    service: 'appsync',
    region: LOCAL_REGION,
    credentials,
    sha256: Sha256,
  });
  const url = new URL(graphqlUrl);
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  return fetch(url, { method: 'POST', headers: signed.headers, body: sentBody });
}
