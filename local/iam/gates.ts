import type { IncomingHttpHeaders } from 'node:http';
import type { DynamoDbCall } from '../dynamodb-proxy';
import type { GateRequest, Refusal } from '../http-gate';
import { dynamoDbPermissions, UnsupportedOperationError } from './dynamodb-permissions';
import {
  AccessDeniedError,
  accessKeyOf,
  authorize,
  type FunctionPrincipal,
  type Principals,
} from './principals';

/**
 * What stands between the backend's functions and the local DynamoDB, SES and Cognito: each call
 * is authorized against the calling function's synthesized IAM policy and refused in the
 * service's own error format, as AWS would. The emulators themselves accept any key.
 */

const INVALID_TOKEN = 'The security token included in the request is invalid.';

type Caller = { principal: FunctionPrincipal } | { unknownKey: string } | { anonymous: true };

function callerOf(principals: Principals, headers: IncomingHttpHeaders): Caller {
  const key = accessKeyOf(headers.authorization);
  if (!key) return { anonymous: true };
  const principal = principals.byAccessKey(key);
  return principal ? { principal } : { unknownKey: key };
}

/** The JSON error of DynamoDB's and Cognito's protocol (awsJson1_0 / awsJson1_1). */
const jsonError = (type: string, message: string, status = 400): Refusal => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type },
  body: JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message, Message: message }),
});

/** The REST-JSON error of SES v2. */
const restError = (type: string, message: string, status = 400): Refusal => ({
  status,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
  body: JSON.stringify({ message }),
});

export const tableArnOf =
  (region: string, account: string) =>
  (table: string): string =>
    `arn:aws:dynamodb:${region}:${account}:table/${table}`;

/** Refuses a function's DynamoDB call its role does not allow (AccessDeniedException). */
export function dynamoDbAuthorizer(
  principals: Principals,
  tableArn: (table: string) => string,
): (call: DynamoDbCall) => Refusal | undefined {
  return ({ operation, body, headers }) => {
    const caller = callerOf(principals, headers);
    if (!('principal' in caller)) return jsonError('UnrecognizedClientException', INVALID_TOKEN);
    try {
      const request = JSON.parse(body.toString('utf8') || '{}') as Parameters<
        typeof dynamoDbPermissions
      >[1];
      authorize(caller.principal, dynamoDbPermissions(operation, request, tableArn));
      return undefined;
    } catch (err) {
      if (err instanceof AccessDeniedError) return jsonError('AccessDeniedException', err.message);
      if (err instanceof UnsupportedOperationError)
        return jsonError('UnknownOperationException', err.message);
      return jsonError('SerializationException', String(err));
    }
  };
}

/** Cognito operations any client may call without IAM credentials (the user-facing API). */
const PUBLIC_COGNITO_OPERATIONS = new Set([
  'SignUp',
  'ConfirmSignUp',
  'ResendConfirmationCode',
  'InitiateAuth',
  'RespondToAuthChallenge',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'ChangePassword',
  'GetUser',
  'UpdateUserAttributes',
  'VerifyUserAttribute',
  'GetUserAttributeVerificationCode',
  'DeleteUser',
  'GlobalSignOut',
  'RevokeToken',
  'GetTokensFromRefreshToken',
]);

/**
 * Refuses a function's Cognito call its role does not allow. Public operations pass as on AWS;
 * every other operation needs a function's credentials and `cognito-idp:<Operation>` on the pool.
 */
export function cognitoAuthorizer(
  principals: Principals,
  userPoolArn: (userPoolId: string) => string,
): (request: GateRequest) => Refusal | undefined {
  return ({ headers, body }) => {
    const operation =
      String(headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    if (PUBLIC_COGNITO_OPERATIONS.has(operation)) return undefined;
    const caller = callerOf(principals, headers);
    if (!('principal' in caller)) return jsonError('UnrecognizedClientException', INVALID_TOKEN);
    let userPoolId: string;
    try {
      userPoolId = String(
        (JSON.parse(body.toString('utf8') || '{}') as { UserPoolId?: string }).UserPoolId ?? '',
      );
    } catch {
      return jsonError('SerializationException', 'The request body is not JSON.');
    }
    try {
      authorize(caller.principal, [
        { action: `cognito-idp:${operation}`, resource: userPoolArn(userPoolId) },
      ]);
      return undefined;
    } catch (err) {
      if (err instanceof AccessDeniedError) return jsonError('AccessDeniedException', err.message);
      throw err;
    }
  };
}

/** The bare address of a From value such as `Steward <steward@example.org>`. */
export function addressOf(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

/** The sender of an SES v1 (query) or v2 (REST-JSON) send request; undefined if not a send. */
function senderOf(request: GateRequest): string | undefined {
  const pathname = new URL(request.url, 'http://localhost').pathname;
  const text = request.body.toString('utf8');
  if (pathname === '/v2/email/outbound-emails' || pathname === '/v2/email/outbound-bulk-emails') {
    const body = JSON.parse(text || '{}') as {
      FromEmailAddress?: string;
      Content?: { Raw?: { Data?: string } };
    };
    if (body.FromEmailAddress) return body.FromEmailAddress;
    const raw = Buffer.from(body.Content?.Raw?.Data ?? '', 'base64').toString('utf8');
    return /^From:\s*(.+)$/im.exec(raw)?.[1] ?? '';
  }
  if (pathname === '/' && request.method === 'POST') {
    const params = new URLSearchParams(text);
    const action = params.get('Action') ?? '';
    if (!action.startsWith('Send')) return undefined;
    return params.get('Source') ?? '';
  }
  return undefined;
}

/**
 * Refuses a function's email that AWS would refuse: without `ses:SendEmail` on the sending
 * identity (AccessDeniedException), or from an address no verified identity covers
 * (MessageRejected). The identities the backend declares count as verified locally.
 */
export function sesAuthorizer(
  principals: Principals,
  verifiedIdentities: readonly string[],
  identityArn: (identity: string) => string,
  region: string,
): (request: GateRequest) => Refusal | undefined {
  const verified = new Set(verifiedIdentities.map((i) => i.toLowerCase()));
  return (request) => {
    let sender: string | undefined;
    try {
      sender = senderOf(request);
    } catch {
      return restError('BadRequestException', 'The request body is not JSON.');
    }
    if (sender === undefined) return undefined;
    const caller = callerOf(principals, request.headers);
    if (!('principal' in caller))
      return restError('UnrecognizedClientException', INVALID_TOKEN, 403);
    const address = addressOf(sender);
    const domain = address.split('@')[1] ?? '';
    const identity = verified.has(address) ? address : verified.has(domain) ? domain : address;
    try {
      authorize(caller.principal, [{ action: 'ses:SendEmail', resource: identityArn(identity) }]);
    } catch (err) {
      if (err instanceof AccessDeniedError)
        return restError('AccessDeniedException', err.message, 403);
      throw err;
    }
    if (!verified.has(identity)) {
      return restError(
        'MessageRejected',
        `Email address is not verified. The following identities failed the check in region ${region.toUpperCase()}: ${address}`,
      );
    }
    return undefined;
  };
}
