import { z } from 'zod';
import { parseInput } from '../parse-input';
import { ROLES } from './roles';

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

const id = (what: string) =>
  z
    .string({ required_error: 'is required' })
    .trim()
    .min(1, `must be ${what}`)
    .max(300, 'is too long');

/** An email address, trimmed and lower-cased so one person is one address. */
const email = z
  .string({ required_error: 'is required' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .email('must be an email address');

const role = z.enum(ROLES, {
  errorMap: () => ({ message: `must be one of ${ROLES.join(', ')}` }),
});

/** The arguments of `inviteMember`; OWNER is given only through `transferOwnership`. */
export const inviteMemberSchema = z.object({
  organizationId: id('an organization id'),
  email,
  role: role.refine((value) => value !== 'OWNER', {
    message: 'cannot be OWNER; invite as ADMIN and transfer ownership after they join',
  }),
});
/** Validates `inviteMember` arguments; throws VALIDATION naming the field. */
export const parseInviteMember = (input: unknown) => parseInput(inviteMemberSchema, input);

/** Validates `acceptInvitation` arguments. */
export const parseAcceptInvitation = (input: unknown) =>
  parseInput(
    z.object({ memberId: id('a member id'), token: id('the token of the invitation link') }),
    input,
  );

/** Validates `updateMemberRole` arguments. */
export const parseUpdateMemberRole = (input: unknown) =>
  parseInput(z.object({ memberId: id('a member id'), role }), input);

/** Validates `setMemberSuspended` arguments. */
export const parseSetMemberSuspended = (input: unknown) =>
  parseInput(
    z.object({
      memberId: id('a member id'),
      suspended: z.boolean({
        required_error: 'is required',
        invalid_type_error: 'must be true or false',
      }),
    }),
    input,
  );

/** Validates `removeMember` arguments. */
export const parseRemoveMember = (input: unknown) =>
  parseInput(z.object({ memberId: id('a member id') }), input);

/** Validates `transferOwnership` arguments. */
export const parseTransferOwnership = (input: unknown) =>
  parseInput(
    z.object({ organizationId: id('an organization id'), memberId: id('a member id') }),
    input,
  );
