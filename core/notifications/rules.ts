import { assertNever } from '../assert-never';
import { workOrderLabel } from '../work-orders/vocabulary';

/** What a notification is about. */
export const NOTIFICATION_KINDS = ['WORK_ORDER_ASSIGNED'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One notification to deliver to one person, decided from one change of one work order. */
export type PlannedNotification = {
  kind: NotificationKind;
  recipientId: string;
  workOrderId: string;
  organizationId: string;
  /** The same for every redelivery of the same change, so a delivery can be claimed once. */
  dedupeKey: string;
};

/** A stream image as a plain object (already unmarshalled); nothing in it is trusted to exist. */
export type Image = Readonly<Record<string, unknown>>;

const text = (image: Image | undefined, key: string): string | undefined => {
  const value = image?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};
const integer = (image: Image | undefined, key: string): number | undefined => {
  const value = image?.[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
};

/**
 * Decides who hears about a work-order change. For now: when a work order gets a new assignee,
 * that assignee gets an email. A removal (no new image) notifies nobody.
 */
export function notificationsFor(
  oldImage: Image | undefined,
  newImage: Image | undefined,
): PlannedNotification[] {
  const workOrderId = text(newImage, 'id');
  const organizationId = text(newImage, 'organizationId');
  if (!newImage || !workOrderId || !organizationId) return [];
  const notifications: PlannedNotification[] = [];
  const assigneeId = text(newImage, 'assigneeId');
  if (assigneeId && assigneeId !== text(oldImage, 'assigneeId')) {
    // The version identifies the change; updatedAt stands in for items written without one.
    const change = integer(newImage, 'version') ?? text(newImage, 'updatedAt') ?? 'initial';
    notifications.push({
      kind: 'WORK_ORDER_ASSIGNED',
      recipientId: assigneeId,
      workOrderId,
      organizationId,
      dedupeKey: `assigned:${workOrderId}:${change}:${assigneeId}`,
    });
  }
  return notifications;
}

/** The work-order facts an email shows. */
export type EmailWorkOrder = {
  id: string;
  number?: number;
  title?: string;
  priority?: string;
  status?: string;
  dueAt?: string;
  locationText?: string;
  description?: string;
};

/** A rendered email: subject, HTML and plain-text bodies, and the link they point to. */
export type EmailContent = { subject: string; html: string; text: string; link: string };

/** Reads the facts an email shows from a stream image. */
export function emailWorkOrderFrom(image: Image): EmailWorkOrder {
  return {
    id: text(image, 'id') ?? '',
    number: integer(image, 'number'),
    title: text(image, 'title'),
    priority: text(image, 'priority'),
    status: text(image, 'status'),
    dueAt: text(image, 'dueAt'),
    locationText: text(image, 'locationText'),
    description: text(image, 'description'),
  };
}

/** The web-app address of a work order. */
export const workOrderLink = (appUrl: string, workOrderId: string): string =>
  `${appUrl.replace(/\/+$/, '')}/work-orders/${encodeURIComponent(workOrderId)}`;

const escapeHtml = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Renders the email for a notification. */
export function buildEmail(input: {
  kind: NotificationKind;
  workOrder: EmailWorkOrder;
  appUrl: string;
  recipientName?: string;
}): EmailContent {
  const { kind, workOrder, appUrl, recipientName } = input;
  const link = workOrderLink(appUrl, workOrder.id);
  const label = workOrder.number === undefined ? 'A work order' : workOrderLabel(workOrder.number);
  const title = workOrder.title ?? '(untitled)';
  const facts: [string, string | undefined][] = [
    ['Priority', workOrder.priority],
    ['Location', workOrder.locationText],
    ['Due', workOrder.dueAt],
  ];
  const shown = facts.filter((fact): fact is [string, string] => fact[1] !== undefined);
  const greeting = recipientName ? `Hello ${recipientName},` : 'Hello,';
  switch (kind) {
    case 'WORK_ORDER_ASSIGNED': {
      const subject = `${label} assigned to you: ${title}`;
      const lead = `${label} “${title}” has been assigned to you.`;
      const text = [
        greeting,
        '',
        lead,
        ...shown.map(([name, value]) => `${name}: ${value}`),
        ...(workOrder.description ? ['', workOrder.description] : []),
        '',
        `Open it: ${link}`,
        '',
        '— Steward',
      ].join('\n');
      const html = [
        `<p>${escapeHtml(greeting)}</p>`,
        `<p>${escapeHtml(lead)}</p>`,
        shown.length
          ? `<ul>${shown.map(([name, value]) => `<li><strong>${escapeHtml(name)}:</strong> ${escapeHtml(value)}</li>`).join('')}</ul>`
          : '',
        workOrder.description ? `<p>${escapeHtml(workOrder.description)}</p>` : '',
        `<p><a href="${escapeHtml(link)}">Open ${escapeHtml(label)} in Steward</a></p>`,
      ]
        .filter(Boolean)
        .join('\n');
      return { subject, html, text, link };
    }
    default:
      return assertNever(kind);
  }
}
