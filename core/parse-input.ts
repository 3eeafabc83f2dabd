import type { z } from 'zod';
import { DomainError } from './errors';

/** Parses untrusted input with a zod schema, turning the first issue into a VALIDATION error naming its field. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'input';
  const message = issue?.message ?? 'is invalid';
  throw new DomainError('VALIDATION', `${field}: ${message}.`, {
    field,
    resolution: `Correct ${field} and try again.`,
  });
}
