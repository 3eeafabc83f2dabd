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

/** An operation's GraphQL errors as one Error that keeps their `errorType`s (CONFLICT, …). */
export class GraphqlOperationError extends Error {
  constructor(readonly errors: readonly GraphqlErrorLike[]) {
    super(messagesOf(errors));
    this.name = 'GraphqlOperationError';
  }

  /** Whether any of the errors has this type, e.g. `CONFLICT`. */
  hasType(errorType: string): boolean {
    return this.errors.some((error) => error.errorType === errorType);
  }
}

/** Whether an error (thrown or returned) carries the given GraphQL `errorType`. */
export const hasErrorType = (error: unknown, errorType: string): boolean => {
  if (error instanceof GraphqlOperationError) return error.hasType(errorType);
  const errors = Array.isArray(error)
    ? (error as GraphqlErrorLike[])
    : typeof error === 'object' &&
        error !== null &&
        Array.isArray((error as { errors?: unknown }).errors)
      ? (error as { errors: GraphqlErrorLike[] }).errors
      : [];
  return errors.some((e) => e.errorType === errorType);
};

/** Throws the GraphQL errors of a response, so callers handle one failure path. */
export const throwOnErrors = (errors: readonly GraphqlErrorLike[] | undefined): void => {
  if (errors !== undefined && errors.length > 0) throw new GraphqlOperationError(errors);
};
