import type { MemberRecord } from '../records';
import { isLowStock } from '../inventory/stock';
import { PERMISSIONS } from '../organizations/permissions';
import type { Role } from '../organizations/roles';
import { escapeHtml, oneLine } from './escape-html';
import { preferencesLink } from './rules';

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

type Image = Readonly<Record<string, unknown>>;

const text = (image: Image | undefined, key: string): string | undefined => {
  const value = image?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};
const integer = (image: Image | undefined, key: string): number | undefined => {
  const value = image?.[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
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
export function lowStockRecipients(
  organizationId: string,
  members: readonly MemberRecord[],
): (MemberRecord & { userId: string })[] {
  const seen = new Set<string>();
  return members.filter((m): m is MemberRecord & { userId: string } => {
    if (m.organizationId !== organizationId || m.status !== 'ACTIVE' || !m.userId) return false;
    if (!LOW_STOCK_ROLES.includes(m.role) || seen.has(m.userId)) return false;
    seen.add(m.userId);
    return true;
  });
}

/** The dedupe key (Notification id) of one crossing for one recipient. */
export const lowStockKey = (crossing: LowStockCrossing, recipientId: string): string =>
  `low-stock:${crossing.itemId}:${crossing.version}:${recipientId}`;

/** The web-app address of an inventory item. */
export const inventoryLink = (appUrl: string, itemId: string): string =>
  `${appUrl.replace(/\/+$/, '')}/inventory/${encodeURIComponent(itemId)}`;

/** Renders the low-stock email from the item's new image. */
export function buildLowStockEmail(input: {
  item: Image;
  organizationName?: string;
  recipientName?: string;
  appUrl: string;
}): { subject: string; html: string; text: string; link: string } {
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
  const greeting = input.recipientName ? `Hello ${input.recipientName},` : 'Hello,';
  const textBody = [
    greeting,
    '',
    lead,
    ...facts,
    '',
    `Open it: ${link}`,
    '',
    `You get this email as a manager of the organization. Choose your emails: ${settings}`,
    '',
    '— Steward',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(lead)}</p>`,
    facts.length ? `<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>` : '',
    `<p><a href="${escapeHtml(link)}">Open ${escapeHtml(name)} in Steward</a></p>`,
    `<p><small>You get this email as a manager of the organization. <a href="${escapeHtml(settings)}">Choose your emails</a>.</small></p>`,
  ]
    .filter(Boolean)
    .join('\n');
  return { subject: oneLine(subject), html, text: textBody, link };
}
