import { useEffect } from 'react';
import { ROLE_IN_A_SENTENCE } from '../../../core/organizations/roles';
import type { InvitationPreview } from '../../../core/notifications/invitations';

/** Puts a value into an input React renders, as typing would (React sees the change). */
function fillInput(input: HTMLInputElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  setter?.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Above Create Account, for a person who opened their invitation link signed out: which
 * organization and role they were invited to, and the invited address filled in (they can still
 * change it; accepting checks the address on the server).
 */
export function InvitationWelcome({ preview }: { preview: InvitationPreview }) {
  useEffect(() => {
    const email = document.querySelector<HTMLInputElement>('input[name="email"]');
    if (email && email.value === '') fillInput(email, preview.email);
  }, [preview.email]);
  return (
    <p className="auth-invitation" data-testid="invitation-welcome">
      You are invited to join <strong>{preview.organizationName}</strong> as{' '}
      {ROLE_IN_A_SENTENCE[preview.role]}. Create your account with <strong>{preview.email}</strong>,
      the address the invitation was sent to — or sign in if you already have one.
    </p>
  );
}
