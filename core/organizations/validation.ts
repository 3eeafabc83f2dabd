import { z } from 'zod';
import { parseInput } from '../parse-input';

/** Lower-case letters, digits and inner hyphens, 3–48 characters. */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,46})[a-z0-9]$/;

/** A URL-safe slug derived from an organization name ("St. Mary's Church" → "st-marys-church"). */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
}

/** The arguments of `createOrganization`; the slug defaults to one derived from the name. */
export const createOrganizationSchema = z
  .object({
    name: z
      .string({ required_error: 'is required' })
      .trim()
      .min(2, 'must be at least 2 characters')
      .max(100, 'must be at most 100 characters'),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .nullish()
      .transform((v) => (v ? v : undefined)),
  })
  .transform(({ name, slug }) => ({
    name,
    slug: slug ?? slugify(name),
    slugGiven: slug !== undefined,
  }))
  .superRefine((value, ctx) => {
    if (!SLUG.test(value.slug)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['slug'],
        message: value.slugGiven
          ? 'must be 3–48 lower-case letters, digits or hyphens, starting and ending with a letter or digit'
          : 'cannot be derived from this name; pass a slug of 3–48 lower-case letters, digits or hyphens',
      });
    }
  });
export type CreateOrganizationInput = z.output<typeof createOrganizationSchema>;

/** Validates `createOrganization` arguments; throws VALIDATION naming the field. */
export const parseCreateOrganization = (input: unknown): CreateOrganizationInput =>
  parseInput(createOrganizationSchema, input);
