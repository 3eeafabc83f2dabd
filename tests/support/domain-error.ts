import { expect } from 'vitest';
import type { ErrorCode } from '../../core/errors';
import type { GraphQLResponse } from '../../local/graphql-client';

/** An error type a refusal carries: a domain code, or one of the API's own. */
export type RefusalType =
  | ErrorCode
  | 'Unauthorized'
  | 'UnauthorizedException'
  | 'TooManyRequestsException'
  | 'MalformedHttpRequestException'
  | 'PayloadTooLargeException'
  | 'QueryDepthLimitReached'
  | 'ResolverExecutionLimitReached'
  | 'InvalidArgumentsError'
  | 'ValidationError';

/** The error type of the first error of an answer, if any. */
export const errorTypeOf = (result: Pick<GraphQLResponse<unknown>, 'errors'>): string | undefined =>
  result.errors?.[0]?.errorType;

/**
 * Awaits a GraphQL answer and expects it refused with `code` (a string, or a pattern when several
 * are right), and its message to match `message` when given; returns the answer for more checks.
 * `label` names the case in a failure, where one test checks many.
 */
export async function expectDomainError<T>(
  answer: Promise<GraphQLResponse<T>> | GraphQLResponse<T>,
  code: RefusalType | RegExp,
  message?: RegExp,
  label?: string,
): Promise<GraphQLResponse<T>> {
  const result = await answer;
  const detail = `${label ? `${label}: ` : ''}${JSON.stringify(result).slice(0, 500)}`;
  expect(result.errors?.length, detail).toBeGreaterThan(0);
  if (typeof code === 'string') expect(errorTypeOf(result), detail).toBe(code);
  else expect(errorTypeOf(result), detail).toMatch(code);
  if (message) expect(result.errors?.[0]?.message, detail).toMatch(message);
  return result;
}

/**
 * Awaits an answer refused before any resolver ran (a missing or forged token, a throttled
 * caller): the HTTP status, the error type (and message when given), and no data at all.
 */
export async function expectHttpRefusal<T>(
  answer: Promise<GraphQLResponse<T>> | GraphQLResponse<T>,
  status: 401 | 413 | 429,
  code: RefusalType | RegExp,
  message?: RegExp,
  label?: string,
): Promise<GraphQLResponse<T>> {
  const result = await expectDomainError(answer, code, message, label);
  const detail = `${label ? `${label}: ` : ''}${JSON.stringify(result).slice(0, 500)}`;
  expect(result.status, detail).toBe(status);
  expect(result.data, detail).toBeUndefined();
  return result;
}
