import { ITEM_CODE_MAX, ITEM_CODE_PATTERN } from '../../../core/inventory/item-code';

/** Amounts in the app's currency; the ledger and the parts of a work order use the same. */
const currency = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });

/** An amount as money ("$4.50"), or "–" when there is none. */
export const formatMoney = (amount: number | null | undefined): string =>
  amount === null || amount === undefined ? '–' : currency.format(amount);

/** Why a typed item code cannot be sent, or null (blank is fine: the server makes one). */
export const itemCodeProblem = (raw: string): string | null => {
  const code = raw.trim();
  if (code === '') return null;
  if (code.length > ITEM_CODE_MAX)
    return `The item code may be at most ${ITEM_CODE_MAX} characters.`;
  if (!ITEM_CODE_PATTERN.test(code)) {
    return 'The item code may contain letters, digits, ".", "_", "/" and "-", without spaces; or leave it blank.';
  }
  return null;
};

/** The fields of an item a manager edits, as typed. */
export type ItemEditForm = {
  name: string;
  unit: string;
  minQuantity: string;
  unitCost: string;
  storageLocation: string;
};

/** The item as it is, in the edit form's terms. */
export type EditableItem = {
  name: string;
  unit: string;
  minQuantity: number;
  unitCost?: number | null;
  storageLocation?: string | null;
};

/** The form filled in with an item's current values. */
export const editFormOf = (item: EditableItem): ItemEditForm => ({
  name: item.name,
  unit: item.unit,
  minQuantity: String(item.minQuantity),
  unitCost: item.unitCost === null || item.unitCost === undefined ? '' : String(item.unitCost),
  storageLocation: item.storageLocation ?? '',
});

/** What updateInventoryItem is sent besides the id and version: only what changed. */
export type ItemChanges = {
  name?: string;
  unit?: string;
  minQuantity?: number;
  /** null clears the cost. */
  unitCost?: number | null;
  /** null clears the location. */
  storageLocation?: string | null;
};

/**
 * The changes a filled-in form makes to an item, or a problem to show instead. A blank cost or
 * location clears it; an amount may be typed with a currency sign ("$4.50").
 */
export const itemChanges = (
  item: EditableItem,
  form: ItemEditForm,
): { changes: ItemChanges } | { problem: string } => {
  const name = form.name.trim();
  const unit = form.unit.trim();
  if (name === '') return { problem: 'The name is required.' };
  if (unit === '') return { problem: 'The unit is required (each, box, gallon…).' };
  const minText = form.minQuantity.trim();
  if (!/^\d+$/.test(minText)) return { problem: 'The minimum is a whole number of zero or more.' };
  const costText = form.unitCost.trim().replace(/^\$/, '').replace(/,/g, '');
  let unitCost: number | null = null;
  if (costText !== '') {
    unitCost = Number(costText);
    if (!/^\d*\.?\d+$|^\d+\.$/.test(costText) || !Number.isFinite(unitCost)) {
      return { problem: 'The unit cost is an amount of zero or more, such as 4.50.' };
    }
  }
  const location = form.storageLocation.trim();
  const changes: ItemChanges = {};
  if (name !== item.name) changes.name = name;
  if (unit !== item.unit) changes.unit = unit;
  if (Number(minText) !== item.minQuantity) changes.minQuantity = Number(minText);
  if (unitCost !== (item.unitCost ?? null)) changes.unitCost = unitCost;
  if (location !== (item.storageLocation ?? '')) changes.storageLocation = location || null;
  return { changes };
};
