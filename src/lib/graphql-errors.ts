/** A GraphQL error as the Amplify client returns it (only the parts shown to people). */
export type GraphqlErrorLike = { message?: string; errorType?: string };

const messagesOf = (errors: readonly GraphqlErrorLike[]): string =>
  errors
    .map((error) => error.message ?? error.errorType ?? 'Unknown error')
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
