import { useCallback, useMemo, useState } from 'react';
import type { Membership } from './use-me';

const storageKey = (userId: string) => `steward:organization:${userId}`;

const readStored = (userId: string): string | null => {
  try {
    return window.localStorage.getItem(storageKey(userId));
  } catch {
    // Storage can be disabled (private modes, policies); the choice then lasts for the tab only.
    return null;
  }
};

/**
 * Which of the caller's ACTIVE memberships the app is showing. The choice is remembered per
 * person in localStorage, and falls back to the first membership when it is no longer valid.
 */
export const useCurrentOrganization = (
  userId: string,
  memberships: readonly Membership[],
): { active: Membership[]; current: Membership | undefined; select: (id: string) => void } => {
  const [chosen, setChosen] = useState<string | null>(() => readStored(userId));
  const active = useMemo(() => memberships.filter((m) => m.status === 'ACTIVE'), [memberships]);
  const current = active.find((m) => m.organizationId === chosen) ?? active[0];

  const select = useCallback(
    (organizationId: string) => {
      setChosen(organizationId);
      try {
        window.localStorage.setItem(storageKey(userId), organizationId);
      } catch {
        // See readStored: not remembering is acceptable.
      }
    },
    [userId],
  );

  return { active, current, select };
};
