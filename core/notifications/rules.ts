import { assertNever } from '../assert-never';
import { priorityLabel, workOrderLabel } from '../work-orders/vocabulary';
import { appPage, renderEmail, type EmailContent } from './email-layout';
import { integer, text, type Image } from './stream-image';

/**
 * What a notification is about: work assigned to the recipient, or a step of a request the
 * recipient made (assigned, completed, closed).
 */
export const NOTIFICATION_KINDS = [
  'WORK_ORDER_ASSIGNED',
  'REQUEST_ASSIGNED',
  'REQUEST_COMPLETED',
  'REQUEST_CLOSED',
] as const;
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

/** The statuses a requester hears about, and what the notification is called. */
const REQUESTER_HEARS: Readonly<Record<string, NotificationKind>> = {
  ASSIGNED: 'REQUEST_ASSIGNED',
  COMPLETED: 'REQUEST_COMPLETED',
  CLOSED: 'REQUEST_CLOSED',
};

/**
 * Decides who hears about a change of a stream record. Only WorkOrder items (by `__typename`)
 * notify here: the notifier also reads other tables (memberships), whose records must never be
 * taken for work orders. A removal (no new image) notifies nobody.
 */
export function notificationsFor(
  oldImage: Image | undefined,
  newImage: Image | undefined,
): PlannedNotification[] {
  if (text(newImage, '__typename') !== 'WorkOrder') return [];
  return workOrderNotifications(oldImage, newImage);
}

/**
 * A work order's new assignee hears that it is theirs; its requester hears when it is assigned,
 * completed and closed, unless they made that change themselves (or are the new assignee, who
 * hears about it as such).
 */
function workOrderNotifications(
  oldImage: Image | undefined,
  newImage: Image | undefined,
): PlannedNotification[] {
  const workOrderId = text(newImage, 'id');
  const organizationId = text(newImage, 'organizationId');
  if (!newImage || !workOrderId || !organizationId) return [];
  const notifications: PlannedNotification[] = [];
  // The version identifies the change; updatedAt stands in for items written without one.
  const change = integer(newImage, 'version') ?? text(newImage, 'updatedAt') ?? 'initial';
  const assigneeId = text(newImage, 'assigneeId');
  if (assigneeId && assigneeId !== text(oldImage, 'assigneeId')) {
    notifications.push({
      kind: 'WORK_ORDER_ASSIGNED',
      recipientId: assigneeId,
      workOrderId,
      organizationId,
      dedupeKey: `assigned:${workOrderId}:${change}:${assigneeId}`,
    });
  }
  const status = text(newImage, 'status');
  const kind = status === undefined ? undefined : REQUESTER_HEARS[status];
  const requesterId = text(newImage, 'requesterId');
  const actorId =
    text(newImage, 'updatedBy') ??
    (status === 'COMPLETED' ? text(newImage, 'completedBy') : undefined);
  if (
    kind &&
    requesterId &&
    status !== text(oldImage, 'status') &&
    requesterId !== actorId &&
    !(kind === 'REQUEST_ASSIGNED' && requesterId === assigneeId)
  ) {
    notifications.push({
      kind,
      recipientId: requesterId,
      workOrderId,
      organizationId,
      dedupeKey: `${kind}:${workOrderId}:${change}:${requesterId}`,
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
  assigneeName?: string;
  completionNotes?: string;
};

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
    assigneeName: text(image, 'assigneeName'),
    completionNotes: text(image, 'completionNotes'),
  };
}

/** The web-app page where a person turns emails on and off. */
export const preferencesLink = (appUrl: string): string => appPage(appUrl, '/settings');

/** The web-app address of a work order. */
export const workOrderLink = (appUrl: string, workOrderId: string): string =>
  appPage(appUrl, `/work-orders/${encodeURIComponent(workOrderId)}`);

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
    ['Priority', workOrder.priority === undefined ? undefined : priorityLabel(workOrder.priority)],
    ['Location', workOrder.locationText],
    ['Due', workOrder.dueAt],
  ];
  const { subject, lead, extra } = headline(kind, label, title, workOrder);
  const email = renderEmail({
    subject,
    recipientName,
    lead,
    facts: facts.filter((fact): fact is [string, string] => fact[1] !== undefined),
    note: extra,
    action: { link, text: 'Open it', html: `Open ${label} in Steward` },
    preferences: { link: preferencesLink(appUrl), label: 'Choose which emails you get' },
  });
  return { ...email, link };
}

/** The subject, first sentence and closing paragraph of each kind of email. */
function headline(
  kind: NotificationKind,
  label: string,
  title: string,
  workOrder: EmailWorkOrder,
): { subject: string; lead: string; extra?: string } {
  switch (kind) {
    case 'WORK_ORDER_ASSIGNED':
      return {
        subject: `${label} assigned to you: ${title}`,
        lead: `${label} “${title}” has been assigned to you.`,
        extra: workOrder.description,
      };
    case 'REQUEST_ASSIGNED':
      return {
        subject: `Your request ${label} is assigned: ${title}`,
        lead: workOrder.assigneeName
          ? `Your request ${label} “${title}” has been assigned to ${workOrder.assigneeName}.`
          : `Your request ${label} “${title}” has been assigned.`,
      };
    case 'REQUEST_COMPLETED':
      return {
        subject: `Your request ${label} is completed: ${title}`,
        lead: `The work on your request ${label} “${title}” has been completed.`,
        extra: workOrder.completionNotes,
      };
    case 'REQUEST_CLOSED':
      return {
        subject: `Your request ${label} is closed: ${title}`,
        lead: `Your request ${label} “${title}” has been checked and closed.`,
      };
    default:
      return assertNever(kind);
  }
}
