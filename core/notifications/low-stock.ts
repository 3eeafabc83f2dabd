import type { MemberRecord } from '../records';
import { isLowStock } from '../inventory/stock';
import { PERMISSIONS } from '../organizations/permissions';
import type { Role } from '../organizations/roles';
import { appPage, renderEmail, type EmailContent } from './email-layout';
import { activeMembersIn, type Recipient } from './recipients';
import { preferencesLink } from './rules';
import { integer, text, type Image } from './stream-image';

/** The notification kind of a low-stock email. */
export const LOW_STOCK_KIND = 'LOW_STOCK';

/** The roles that hear about low stock: those who may receive and reorder (inventory.adjust). */
export const LOW_STOCK_ROLES: readonly Role[] = PERMISSIONS['inventory.adjust'];

/** An item that just crossed to at-or-below its minimum. */
export type LowStockCrossing = {
  itemId: string;
  organizationId: string;
  /** The item's version at the crossing: one crossing, one key, however often it is redelivered. */
  version: number;
};

/**
 * Whether a change of an InventoryItem crosses from above its minimum to at-or-below it. Each
 * image is judged by its own minimum, so raising the minimum over the stock is a crossing too;
 * a further decrement while low is not, and going back above re-arms the next crossing. A new
 * item (no old image) never crosses: whoever created it low knows.
 */
export function lowStockCrossing(
  oldImage: Image | undefined,
  newImage: Image | undefined,
): LowStockCrossing | undefined {
  if (text(newImage, '__typename') !== 'InventoryItem') return undefined;
  if (text(oldImage, '__typename') !== 'InventoryItem') return undefined;
  const itemId = text(newImage, 'id');
  const organizationId = text(newImage, 'organizationId');
  const version = integer(newImage, 'version');
  const before = integer(oldImage, 'quantity');
  const beforeMin = integer(oldImage, 'minQuantity');
  const after = integer(newImage, 'quantity');
  const afterMin = integer(newImage, 'minQuantity');
  if (!itemId || !organizationId || version === undefined) return undefined;
  if (before === undefined || beforeMin === undefined) return undefined;
  if (after === undefined || afterMin === undefined) return undefined;
  // An item moved between organizations is not a crossing of either (the server never does it).
  if (text(oldImage, 'organizationId') !== organizationId) return undefined;
  if (isLowStock(before, beforeMin) || !isLowStock(after, afterMin)) return undefined;
  return { itemId, organizationId, version };
}

/** Who hears about a crossing: the organization's ACTIVE owners, admins and managers, once each. */
export const lowStockRecipients = (
  organizationId: string,
  members: readonly MemberRecord[],
): Recipient[] => activeMembersIn(organizationId, LOW_STOCK_ROLES, members);

/** The dedupe key (Notification id) of one crossing for one recipient. */
export const lowStockKey = (crossing: LowStockCrossing, recipientId: string): string =>
  `low-stock:${crossing.itemId}:${crossing.version}:${recipientId}`;

/** The web-app address of an inventory item. */
export const inventoryLink = (appUrl: string, itemId: string): string =>
  appPage(appUrl, `/inventory/${encodeURIComponent(itemId)}`);

/** Renders the low-stock email from the item's new image. */
export function buildLowStockEmail(input: {
  item: Image;
  organizationName?: string;
  recipientName?: string;
  appUrl: string;
}): EmailContent {
  const { item, appUrl } = input;
  const itemId = text(item, 'id') ?? '';
  const name = text(item, 'name') ?? '(unnamed item)';
  const sku = text(item, 'sku') ?? '?';
  const unit = text(item, 'unit') ?? '';
  const quantity = integer(item, 'quantity') ?? 0;
  const minimum = integer(item, 'minQuantity') ?? 0;
  const reorder = integer(item, 'reorderQuantity');
  const location = text(item, 'storageLocation');
  const link = inventoryLink(appUrl, itemId);
  const settings = preferencesLink(appUrl);
  const subject = `Low stock: ${name} (${sku})`;
  const where = input.organizationName ? ` at ${input.organizationName}` : '';
  const lead =
    `${name} (${sku})${where} is down to ${quantity} ${unit}, at or below its minimum of ${minimum}.`.replace(
      / {2,}/g,
      ' ',
    );
  const facts = [
    ...(reorder !== undefined ? [`Reorder quantity: ${reorder}`] : []),
    ...(location ? [`Stored at: ${location}`] : []),
  ];
  const email = renderEmail({
    subject,
    recipientName: input.recipientName,
    lead,
    facts,
    action: { link, text: 'Open it', html: `Open ${name} in Steward` },
    preferences: {
      link: settings,
      label: 'Choose your emails',
      why: 'You get this email as a manager of the organization.',
    },
  });
  return { ...email, link };
}
