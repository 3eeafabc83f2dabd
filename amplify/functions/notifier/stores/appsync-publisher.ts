import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4, type SignatureV4Init } from '@smithy/signature-v4';
import type { LiveNotification } from '../../../../core/notifications/live';
import type { LivePublisher } from '../../../../core/ports';

const PUBLISH = /* GraphQL */ `
  mutation PublishNotification(
    $id: ID!
    $organizationId: ID!
    $recipientId: String!
    $kind: String!
    $subject: String!
    $link: String
    $createdAt: AWSDateTime!
  ) {
    publishNotification(
      id: $id
      organizationId: $organizationId
      recipientId: $recipientId
      kind: $kind
      subject: $subject
      link: $link
      createdAt: $createdAt
    ) {
      id
      organizationId
      recipientId
      kind
      subject
      link
      createdAt
    }
  }
`;

/** A GraphQL failure of the publish call, with AppSync's error type when it gave one. */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly errorType?: string,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

/**
 * Publishes through the data API's `publishNotification` mutation, signed with the function's
 * IAM role (SigV4, service `appsync`); AppSync fans it out to the recipient's subscriptions.
 */
export class AppSyncLivePublisher implements LivePublisher {
  private readonly signer: SignatureV4;

  constructor(
    private readonly endpoint: string,
    region: string,
    credentials: SignatureV4Init['credentials'],
  ) {
    this.signer = new SignatureV4({ service: 'appsync', region, credentials, sha256: Sha256 });
  }

  async publish(notification: LiveNotification): Promise<void> {
    const url = new URL(this.endpoint);
    const body = JSON.stringify({ query: PUBLISH, variables: notification });
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body,
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    let result: { errors?: { message?: string; errorType?: string }[] } = {};
    try {
      result = JSON.parse(text) as typeof result;
    } catch {
      // Not JSON: reported below with the status.
    }
    const first = result.errors?.[0];
    if (!response.ok || first) {
      throw new PublishError(
        `publishNotification failed (HTTP ${response.status}): ${first?.message ?? text.slice(0, 200)}`,
        first?.errorType,
      );
    }
  }
}
