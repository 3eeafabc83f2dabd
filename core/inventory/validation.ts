import { z } from 'zod';
import { parseInput } from '../parse-input';
import { ADJUSTMENT_REASONS } from '../records';
import { ITEM_CODE_MAX, ITEM_CODE_PATTERN } from './item-code';

const MAX_QUANTITY = 1_000_000_000;

const text = (max: number) =>
  z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : undefined));

const count = z
  .number({ invalid_type_error: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'may not be negative')
  .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`);

const money = z
  .number({ invalid_type_error: 'must be a number' })
  .finite('must be a number')
  .min(0, 'may not be negative')
  .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`);

/** Letters, digits and a few separators: a SKU is printed on labels and typed into searches. */
const sku = text(ITEM_CODE_MAX).regex(
  ITEM_CODE_PATTERN,
  'may contain letters, digits, ".", "_", "/" and "-"',
);

/** An item code (SKU) that may be left out: absent, null or blank mean "make one from the name". */
const optionalSku = z
  .string({ invalid_type_error: 'must be text' })
  .nullish()
  .transform((value) => (value?.trim() ? value : undefined))
  .pipe(sku.optional());

const createSchema = z
  .object({
    organizationId: text(100),
    sku: optionalSku,
    name: text(200),
    unit: text(32),
    quantity: count,
    minQuantity: count,
    reorderQuantity: count.nullish().transform((v) => v ?? undefined),
    unitCost: money.nullish().transform((v) => v ?? undefined),
    storageLocation: optionalText(200),
  })
  .strict();

/** The arguments of `createInventoryItem`. */
export type CreateInventoryItemInput = z.output<typeof createSchema>;

/** Parses the arguments of `createInventoryItem`. */
export const parseCreateInventoryItem = (args: unknown): CreateInventoryItemInput =>
  parseInput(createSchema, args);

/** null clears an optional field; absent leaves it as it is. */
const clearable = <T extends z.ZodTypeAny>(schema: T) => schema.nullable().optional();

const updateSchema = z
  .object({
    id: text(200),
    expectedVersion: z.number().int('must be a whole number'),
    name: text(200)
      .nullish()
      .transform((v) => v ?? undefined),
    unit: text(32)
      .nullish()
      .transform((v) => v ?? undefined),
    minQuantity: count.nullish().transform((v) => v ?? undefined),
    reorderQuantity: clearable(count),
    unitCost: clearable(money),
    storageLocation: clearable(z.string().trim().max(200, 'must be at most 200 characters')),
  })
  .strict();

/** The arguments of `updateInventoryItem`. */
export type UpdateInventoryItemInput = z.output<typeof updateSchema>;

/** Parses the arguments of `updateInventoryItem`. */
export const parseUpdateInventoryItem = (args: unknown): UpdateInventoryItemInput =>
  parseInput(updateSchema, args);

const adjustSchema = z
  .object({
    itemId: text(200),
    delta: z
      .number({ invalid_type_error: 'must be a whole number' })
      .int('must be a whole number')
      .min(-MAX_QUANTITY, `must be at least -${MAX_QUANTITY}`)
      .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`),
    reason: z.enum(ADJUSTMENT_REASONS, {
      errorMap: () => ({ message: `must be one of ${ADJUSTMENT_REASONS.join(', ')}` }),
    }),
    workOrderId: optionalText(200),
    note: optionalText(1000),
  })
  .strict();

/** The arguments of `adjustInventory`. */
export type AdjustInventoryInput = z.output<typeof adjustSchema>;

/** Parses the arguments of `adjustInventory`. */
export const parseAdjustInventory = (args: unknown): AdjustInventoryInput =>
  parseInput(adjustSchema, args);
