/** Every way a business operation can fail on purpose; the code is what clients branch on. */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'LIMIT_EXCEEDED',
  'ILLEGAL_TRANSITION',
  /** An invitation past its expiry; the resolution says to ask for a new one. */
  'INVITATION_EXPIRED',
  /** The change would leave an organization without an active OWNER. */
  'LAST_OWNER',
  /** A stock movement would take an item's quantity below zero; nothing was changed. */
  'INSUFFICIENT_STOCK',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Options of a DomainError beyond its code and message. */
export type DomainErrorOptions = {
  /** What the caller can do about it, in one sentence. */
  resolution?: string;
  /** The input field at fault, for VALIDATION errors. */
  field?: string;
  cause?: unknown;
};

/**
 * An expected failure of a business operation. Its `name` is the code, so an AppSync Lambda
 * resolver reports it as the GraphQL error's `errorType`.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly resolution: string | undefined;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = code;
    this.code = code;
    this.resolution = options.resolution;
    this.field = options.field;
  }
}

/** Whether a value is a DomainError, optionally of one code. */
export const isDomainError = (value: unknown, code?: ErrorCode): value is DomainError =>
  value instanceof DomainError && (code === undefined || value.code === code);
