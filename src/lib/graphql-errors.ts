/** A GraphQL error as the Amplify client returns it (only the parts shown to people). */
export type GraphqlErrorLike = { message?: string; errorType?: string };

/**
 * The realtime client reports a refused subscription as `Connection failed: {"errors":[…]}`;
 * the server's own message inside is the useful part.
 */
const unwrapConnectionFailure = (message: string): string => {
  const embedded = /^Connection failed: (\{.*\})$/s.exec(message)?.[1];
  if (embedded === undefined) return message;
  try {
    const parsed = JSON.parse(embedded) as { errors?: GraphqlErrorLike[] };
    const inner = parsed.errors?.map((error) => error.message ?? error.errorType).filter(Boolean);
    return inner !== undefined && inner.length > 0 ? inner.join('; ') : message;
  } catch {
    return message;
  }
};

const messagesOf = (errors: readonly GraphqlErrorLike[]): string =>
  errors
    .map((error) => unwrapConnectionFailure(error.message ?? error.errorType ?? 'Unknown error'))
    .filter((message, index, all) => all.indexOf(message) === index)
    .join('; ');

/**
 * Turns whatever an operation threw or returned into one readable sentence: the GraphQL
 * messages when there are some (they carry the server's reason), else the error's own message.
 */
export const errorMessage = (error: unknown): string => {
  if (Array.isArray(error)) return messagesOf(error as GraphqlErrorLike[]);
  if (typeof error === 'object' && error !== null) {
    const withErrors = error as { errors?: unknown; message?: unknown };
    if (Array.isArray(withErrors.errors) && withErrors.errors.length > 0) {
      return messagesOf(withErrors.errors as GraphqlErrorLike[]);
    }
    if (typeof withErrors.message === 'string' && withErrors.message !== '') {
      return withErrors.message;
    }
  }
  if (typeof error === 'string') return error;
  return 'Something went wrong.';
};

/** Throws the GraphQL errors of a response, so callers handle one failure path. */
export const throwOnErrors = (errors: readonly GraphqlErrorLike[] | undefined): void => {
  if (errors !== undefined && errors.length > 0) throw new Error(messagesOf(errors));
};
