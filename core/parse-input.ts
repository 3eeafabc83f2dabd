import type { z } from 'zod';
import { DomainError } from './errors';

/** Parses untrusted input with a zod schema, turning the first issue into a VALIDATION error naming its field. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // An unknown key is reported on the object itself; name the key instead.
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = [...(issue?.path ?? []), ...(unknownKey ? [unknownKey] : [])].join('.') || 'input';
  const message = unknownKey ? 'is not a known field' : (issue?.message ?? 'is invalid');
  throw new DomainError('VALIDATION', `${field}: ${message}.`, {
    field,
    resolution: `Correct ${field} and try again.`,
  });
}
