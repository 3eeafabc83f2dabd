import { ROLE_IN_A_SENTENCE, ROLES, type Role } from '../organizations/roles';
import { appPage, renderEmail, type RenderedEmail } from './email-layout';
import { text, type Image } from './stream-image';

/** The notification kind of an invitation email. */
export const INVITATION_KIND = 'MEMBER_INVITED';

/** An invitation email to send, decided from one change of one OrganizationMember item. */
export type PlannedInvitation = {
  memberId: string;
  organizationId: string;
  email: string;
  role: Role;
  token: string;
  inviteExpiresAt?: string;
  invitedBy?: string;
  /** One per (invitation, token): a re-invite mails again, a redelivered record does not. */
  dedupeKey: string;
};

const isRole = (value: string | undefined): value is Role =>
  value !== undefined && (ROLES as readonly string[]).includes(value);

/**
 * A short fingerprint of the token for the dedupe key (FNV-1a, 2 × 32 bits), so the key — the id
 * of a Notification item — identifies the token without containing the secret.
 */
export function tokenFingerprint(token: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < token.length; i += 1) {
    const code = token.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ (a & 0xff), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * Decides whether a change of an OrganizationMember item sends an invitation email: only when
 * it is INVITED and its token is new or changed (an invitation or a re-invitation). Acceptance,
 * role changes, suspension and removal send nothing.
 */
export function invitationFor(
  oldImage: Image | undefined,
  newImage: Image | undefined,
): PlannedInvitation | undefined {
  const memberId = text(newImage, 'id');
  const organizationId = text(newImage, 'organizationId');
  const email = text(newImage, 'email');
  const role = text(newImage, 'role');
  const token = text(newImage, 'inviteToken');
  if (!memberId || !organizationId || !email || !token || !isRole(role)) return undefined;
  if (text(newImage, 'status') !== 'INVITED') return undefined;
  if (token === text(oldImage, 'inviteToken')) return undefined;
  const inviteExpiresAt = text(newImage, 'inviteExpiresAt');
  const invitedBy = text(newImage, 'invitedBy');
  return {
    memberId,
    organizationId,
    email,
    role,
    token,
    ...(inviteExpiresAt ? { inviteExpiresAt } : {}),
    ...(invitedBy ? { invitedBy } : {}),
    dedupeKey: `invitation:${memberId}:${tokenFingerprint(token)}`,
  };
}

/** The web-app page that accepts an invitation, without the token: for records clients may read. */
export const invitationPage = (appUrl: string, memberId: string): string =>
  appPage(appUrl, `/invitations/${encodeURIComponent(memberId)}`);

/**
 * What the invitation link tells a person who opens it signed out, before any API call can: the
 * organization, the role and the invited address. Shown to help them create the right account;
 * never trusted (accepting checks the token and the address on the server).
 */
export type InvitationPreview = { organizationName: string; role: Role; email: string };

/** The same page with the token, the proof of having the email, for the email only. */
export const invitationLink = (
  appUrl: string,
  memberId: string,
  token: string,
  preview?: InvitationPreview,
): string => {
  const query = new URLSearchParams({ token });
  if (preview) {
    query.set('org', preview.organizationName);
    // In people's case: the email says "a technician", never the enum.
    query.set('role', preview.role.toLowerCase());
    query.set('email', preview.email);
  }
  return `${invitationPage(appUrl, memberId)}?${query.toString().replace(/\+/g, '%20')}`;
};

/** The preview an invitation link carries, or undefined when any part is missing or wrong. */
export function invitationPreviewOf(search: string): InvitationPreview | undefined {
  const query = new URLSearchParams(search);
  const organizationName = query.get('org')?.trim().slice(0, 200);
  const role = query.get('role')?.toUpperCase();
  const email = query.get('email')?.trim().slice(0, 254);
  if (!organizationName || !isRole(role) || !email || !email.includes('@')) return undefined;
  return { organizationName, role, email };
}

/** Renders the invitation email (subject, HTML and text) with the accept link. */
export function buildInvitationEmail(input: {
  organizationName: string;
  inviterName?: string;
  role: Role;
  expiresAt?: string;
  link: string;
}): RenderedEmail {
  const { organizationName, inviterName, role, expiresAt, link } = input;
  const who = inviterName ?? 'Someone';
  const subject = `${who} invited you to ${organizationName} on Steward`;
  const lead = `${who} invited you to join ${organizationName} on Steward as ${ROLE_IN_A_SENTENCE[role]}.`;
  const expiry = expiresAt
    ? `The invitation expires on ${expiresAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}.`
    : undefined;
  const after =
    'Open the link, then sign in or create an account with this email address to accept.';
  return renderEmail({
    subject,
    lead,
    action: {
      link,
      text: 'Accept the invitation',
      html: `Accept the invitation to ${organizationName}`,
    },
    closing: [
      [after, ...(expiry ? [expiry] : [])],
      ['If you did not expect this invitation, you can ignore this email.'],
    ],
  });
}
