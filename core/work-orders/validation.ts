import { z } from 'zod';
import { parseInput } from '../parse-input';
import {
  CATEGORIES,
  MAX_TITLE_LENGTH,
  MAX_TRANSITION_NOTE_LENGTH,
  PRIORITIES,
  WORK_ORDER_STATUSES,
  WORK_ORDER_TYPES,
} from './vocabulary';

const DAY_MS = 86_400_000;
/** How far in the past a due date may be (entered late, still meaningful). */
const DUE_PAST_DAYS = 365;
/** How far ahead a due date may be; beyond that it is almost certainly a typo. */
const DUE_FUTURE_DAYS = 5 * 365;

/** Ids are short (`org-<uuid>`, a uuid); a longer one is not an id, and DynamoDB keys stop at 2 KB. */
const MAX_ID_LENGTH = 200;

/** A required id, trimmed and bounded. */
const id = z
  .string({ required_error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : undefined));

const dueAt = (now: Date) =>
  z
    .string()
    .datetime({ offset: true, message: 'must be an ISO 8601 date and time' })
    .nullish()
    .transform((value) => (value ? new Date(value).toISOString() : undefined))
    .refine(
      (value) =>
        value === undefined ||
        (Date.parse(value) >= now.getTime() - DUE_PAST_DAYS * DAY_MS &&
          Date.parse(value) <= now.getTime() + DUE_FUTURE_DAYS * DAY_MS),
      {
        message: `must be within ${DUE_PAST_DAYS} days ago and ${DUE_FUTURE_DAYS / 365} years ahead`,
      },
    );

/** The arguments of `submitWorkOrder`, with defaults applied. */
export const submitWorkOrderSchema = (now: Date) =>
  z
    .object({
      organizationId: id,
      title: z
        .string({ required_error: 'is required' })
        .trim()
        .min(1, 'is required')
        .max(MAX_TITLE_LENGTH, `must be at most ${MAX_TITLE_LENGTH} characters`),
      description: optionalText(5000),
      category: z
        .enum(CATEGORIES)
        .nullish()
        .transform((v) => v ?? 'OTHER'),
      priority: z
        .enum(PRIORITIES)
        .nullish()
        .transform((v) => v ?? 'MEDIUM'),
      type: z
        .enum(WORK_ORDER_TYPES)
        .nullish()
        .transform((v) => v ?? 'CORRECTIVE'),
      locationText: optionalText(500),
      dueAt: dueAt(now),
      draft: z
        .boolean()
        .nullish()
        .transform((v) => v ?? false),
    })
    .strict();
export type SubmitWorkOrderInput = z.output<ReturnType<typeof submitWorkOrderSchema>>;

/** Validates `submitWorkOrder` arguments; throws VALIDATION naming the field. */
export const parseSubmitWorkOrder = (input: unknown, now: Date): SubmitWorkOrderInput =>
  parseInput(submitWorkOrderSchema(now), input);

/** The arguments of `assignWorkOrder`; a missing assigneeId means unassign. */
export const assignWorkOrderSchema = z
  .object({
    id,
    assigneeId: z
      .string()
      .trim()
      .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
      .nullish()
      .transform((v) => (v ? v : undefined)),
    expectedVersion: z
      .number()
      .int('must be a whole number')
      .positive('must be positive')
      .nullish()
      .transform((v) => v ?? undefined),
  })
  .strict();
export type AssignWorkOrderInput = z.output<typeof assignWorkOrderSchema>;

/** Validates `assignWorkOrder` arguments; throws VALIDATION naming the field. */
export const parseAssignWorkOrder = (input: unknown): AssignWorkOrderInput =>
  parseInput(assignWorkOrderSchema, input);

/** The longest labor a single work order may record: a year of minutes (more is a typo). */
export const MAX_LABOR_MINUTES = 60 * 24 * 365;

/** The arguments of `transitionWorkOrder`; which extras a target status accepts is checked here too. */
export const transitionWorkOrderSchema = z
  .object({
    id,
    to: z.enum(WORK_ORDER_STATUSES, {
      errorMap: () => ({ message: `must be one of ${WORK_ORDER_STATUSES.join(', ')}` }),
    }),
    expectedVersion: z
      .number({ required_error: 'is required', invalid_type_error: 'must be a whole number' })
      .int('must be a whole number')
      .positive('must be positive'),
    note: optionalText(MAX_TRANSITION_NOTE_LENGTH),
    laborMinutes: z
      .number({ invalid_type_error: 'must be a whole number' })
      .int('must be a whole number')
      .min(0, 'must not be negative')
      .max(MAX_LABOR_MINUTES, `must be at most ${MAX_LABOR_MINUTES} (a year)`)
      .nullish()
      .transform((v) => v ?? undefined),
    completionNotes: optionalText(5000),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.completionNotes !== undefined && input.to !== 'COMPLETED') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['completionNotes'],
        message: 'can only be given when completing (to: COMPLETED)',
      });
    }
    if (input.laborMinutes !== undefined && input.to !== 'COMPLETED' && input.to !== 'CLOSED') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['laborMinutes'],
        message: 'can only be given when completing or closing',
      });
    }
  });
export type TransitionWorkOrderInput = z.output<typeof transitionWorkOrderSchema>;

/** Validates `transitionWorkOrder` arguments; throws VALIDATION naming the field. */
export const parseTransitionWorkOrder = (input: unknown): TransitionWorkOrderInput =>
  parseInput(transitionWorkOrderSchema, input);

/** The arguments of `addWorkOrderComment`. */
export const addWorkOrderCommentSchema = z
  .object({
    workOrderId: id,
    body: z
      .string({ required_error: 'is required' })
      .trim()
      .min(1, 'is required')
      .max(5000, 'must be at most 5000 characters'),
  })
  .strict();
export type AddWorkOrderCommentInput = z.output<typeof addWorkOrderCommentSchema>;

/** Validates `addWorkOrderComment` arguments; throws VALIDATION naming the field. */
export const parseAddWorkOrderComment = (input: unknown): AddWorkOrderCommentInput =>
  parseInput(addWorkOrderCommentSchema, input);
