import { useId } from 'react';
import type { Membership } from './use-me';
import { humanize } from '../../lib/labels';

/** Props of {@link OrganizationSwitcher}. */
export type OrganizationSwitcherProps = {
  memberships: readonly Membership[];
  current: Membership;
  onSelect: (organizationId: string) => void;
};

/** The current organization and the caller's role in it; a picker when there are several. */
export function OrganizationSwitcher({
  memberships,
  current,
  onSelect,
}: OrganizationSwitcherProps) {
  const id = useId();
  if (memberships.length < 2) {
    return (
      <p className="org-name" data-testid="current-organization">
        <strong>{current.organizationName}</strong>{' '}
        <span className="role">{humanize(current.role)}</span>
      </p>
    );
  }
  return (
    <div className="org-switcher">
      <label htmlFor={id} className="visually-hidden">
        Organization
      </label>
      <select
        id={id}
        value={current.organizationId}
        onChange={(event) => onSelect(event.target.value)}
        data-testid="organization-switcher"
      >
        {memberships.map((m) => (
          <option key={m.organizationId} value={m.organizationId}>
            {m.organizationName} ({humanize(m.role)})
          </option>
        ))}
      </select>
    </div>
  );
}
