import type { MemberRecord } from '../records';
import { PERMISSIONS } from '../organizations/permissions';
import type { Role } from '../organizations/roles';
import { priorityLabel, workOrderLabel } from '../work-orders/vocabulary';
import { escapeHtml, oneLine } from './escape-html';
import { preferencesLink, workOrderLink } from './rules';

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

type Image = Readonly<Record<string, unknown>>;

const text = (image: Image | undefined, key: string): string | undefined => {
  const value = image?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
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
export function newRequestRecipients(
  request: NewRequest,
  members: readonly MemberRecord[],
): (MemberRecord & { userId: string })[] {
  const seen = new Set<string>();
  return members.filter((m): m is MemberRecord & { userId: string } => {
    if (m.organizationId !== request.organizationId || m.status !== 'ACTIVE' || !m.userId) {
      return false;
    }
    if (!TRIAGE_ROLES.includes(m.role) || m.userId === request.requesterId) return false;
    if (seen.has(m.userId)) return false;
    seen.add(m.userId);
    return true;
  });
}

/** The dedupe key (Notification id): one per work order and recipient, however it is redelivered. */
export const newRequestKey = (request: NewRequest, recipientId: string): string =>
  `new-request:${request.workOrderId}:${recipientId}`;

/** Renders the email telling a triager about a new request, from the work order's new image. */
export function buildNewRequestEmail(input: {
  workOrder: Image;
  recipientName?: string;
  appUrl: string;
}): { subject: string; html: string; text: string; link: string } {
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
  const description = text(workOrder, 'description');
  const greeting = input.recipientName ? `Hello ${input.recipientName},` : 'Hello,';
  const why = 'You get this email because you assign work in your organization.';
  const textBody = [
    greeting,
    '',
    lead,
    ...facts,
    ...(description ? ['', description] : []),
    '',
    `Open it: ${link}`,
    '',
    `${why} Choose your emails: ${settings}`,
    '',
    '— Steward',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(lead)}</p>`,
    `<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`,
    description ? `<p>${escapeHtml(description)}</p>` : '',
    `<p><a href="${escapeHtml(link)}">Open ${escapeHtml(label)} in Steward</a></p>`,
    `<p><small>${escapeHtml(why)} <a href="${escapeHtml(settings)}">Choose your emails</a>.</small></p>`,
  ]
    .filter(Boolean)
    .join('\n');
  return { subject: oneLine(subject), html, text: textBody, link };
}
