import { createContext, useContext } from 'react';
import type { Me, Membership } from '../features/organizations/use-me';

/** What every page inside an organization needs: who, where, in which role. */
export type WorkspaceContextValue = {
  /** The caller's Cognito sub. */
  userId: string;
  me: Me;
  /** The organization being shown (an ACTIVE membership). */
  membership: Membership;
  /** Runs `me` again (after accepting an invitation or a role change). */
  reload: () => Promise<Me | undefined>;
  /** Switches to another organization of the caller. */
  select: (organizationId: string) => void;
};

/** Provided by the workspace once an organization is chosen. */
export const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

/** The current workspace; only pages rendered inside an organization may call this. */
export const useWorkspace = (): WorkspaceContextValue => {
  const value = useContext(WorkspaceContext);
  if (value === null) throw new Error('useWorkspace is used outside an organization');
  return value;
};
