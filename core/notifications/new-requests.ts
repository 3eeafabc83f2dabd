import type { MemberRecord } from '../records';
import { PERMISSIONS } from '../organizations/permissions';
import type { Role } from '../organizations/roles';
import { priorityLabel, workOrderLabel } from '../work-orders/vocabulary';
import { renderEmail, type EmailContent } from './email-layout';
import { activeMembersIn, type Recipient } from './recipients';
import { preferencesLink, workOrderLink } from './rules';
import { text, type Image } from './stream-image';

/** The notification kinds of a new request: HIGH/URGENT ones, and the rest. */
export const NEW_REQUEST_KINDS = ['NEW_URGENT_REQUEST', 'NEW_REQUEST'] as const;
export type NewRequestKind = (typeof NEW_REQUEST_KINDS)[number];

/** Who hears about new requests: those who may assign work (triage), from the permission matrix. */
export const TRIAGE_ROLES: readonly Role[] = PERMISSIONS['workOrders.assign'];

/** Priorities that make a new request urgent (emailed by default). */
const URGENT_PRIORITIES: readonly string[] = ['HIGH', 'URGENT'];

/** A work order that has just become a request to triage. */
export type NewRequest = {
  kind: NewRequestKind;
  workOrderId: string;
  organizationId: string;
  requesterId?: string;
};

/**
 * Whether a change of a WorkOrder makes it a new request: it appears as NEW (submitted), or a
 * DRAFT becomes NEW (published). Any later change, or a draft, is not news to the triagers.
 */
export function newRequestOf(
  oldImage: Image | undefined,
  newImage: Image | undefined,
): NewRequest | undefined {
  if (text(newImage, '__typename') !== 'WorkOrder') return undefined;
  if (text(newImage, 'status') !== 'NEW') return undefined;
  const before = text(oldImage, 'status');
  if (oldImage !== undefined && before !== 'DRAFT') return undefined;
  const workOrderId = text(newImage, 'id');
  const organizationId = text(newImage, 'organizationId');
  if (!workOrderId || !organizationId) return undefined;
  const priority = text(newImage, 'priority') ?? '';
  const requesterId = text(newImage, 'requesterId');
  return {
    kind: URGENT_PRIORITIES.includes(priority) ? 'NEW_URGENT_REQUEST' : 'NEW_REQUEST',
    workOrderId,
    organizationId,
    ...(requesterId ? { requesterId } : {}),
  };
}

/**
 * Who hears about a new request: the organization's ACTIVE members whose role may assign work,
 * once each, never the requester themself.
 */
export const newRequestRecipients = (
  request: NewRequest,
  members: readonly MemberRecord[],
): Recipient[] =>
  activeMembersIn(request.organizationId, TRIAGE_ROLES, members, request.requesterId);

/** The dedupe key (Notification id): one per work order and recipient, however it is redelivered. */
export const newRequestKey = (request: NewRequest, recipientId: string): string =>
  `new-request:${request.workOrderId}:${recipientId}`;

/** Renders the email telling a triager about a new request, from the work order's new image. */
export function buildNewRequestEmail(input: {
  workOrder: Image;
  recipientName?: string;
  appUrl: string;
}): EmailContent {
  const { workOrder, appUrl } = input;
  const id = text(workOrder, 'id') ?? '';
  const number = workOrder.number;
  const label =
    typeof number === 'number' && Number.isInteger(number) ? workOrderLabel(number) : 'A request';
  const title = text(workOrder, 'title') ?? '(untitled)';
  const priority = priorityLabel(text(workOrder, 'priority') ?? 'MEDIUM');
  const requester = text(workOrder, 'requesterName') ?? 'Someone';
  const link = workOrderLink(appUrl, id);
  const settings = preferencesLink(appUrl);
  const subject = `New request ${label} (${priority} priority): ${title}`;
  const lead = `${requester} submitted ${label} “${title}”. It is waiting to be assigned.`;
  const facts: string[] = [
    `Priority: ${priority}`,
    ...(text(workOrder, 'locationText') ? [`Location: ${text(workOrder, 'locationText')}`] : []),
  ];
  const email = renderEmail({
    subject,
    recipientName: input.recipientName,
    lead,
    facts,
    note: text(workOrder, 'description'),
    action: { link, text: 'Open it', html: `Open ${label} in Steward` },
    preferences: {
      link: settings,
      label: 'Choose your emails',
      why: 'You get this email because you assign work in your organization.',
    },
  });
  return { ...email, link };
}
