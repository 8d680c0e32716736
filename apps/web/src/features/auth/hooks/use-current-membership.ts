import type { Membership, User } from '@hoh/contracts';
import { useRef, useSyncExternalStore } from 'react';

import { useMe } from '../api/get-me';

const STORAGE_KEY = 'hoh.organisationId';
const listeners = new Set<() => void>();

function readSelected(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Remember which organisation a member of several is working in (per browser, not per tab). */
export function selectOrganisation(organisationId: string): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, organisationId);
  } catch {
    // Private mode without storage: the choice lasts until reload, which is acceptable.
  }
  listeners.forEach((l) => l());
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

export function useSelectedOrganisationId(): string | null {
  return useSyncExternalStore(subscribe, readSelected, () => null);
}

export interface CurrentMembership {
  user: User;
  membership: Membership;
  memberships: readonly Membership[];
}

/**
 * The membership the screens act in: the one chosen in the organisation switcher, else the first.
 * Only call below the authenticated shell, which renders nothing until /auth/me has loaded.
 */
export function useCurrentMembership(): CurrentMembership {
  const me = useMe();
  const selected = useSelectedOrganisationId();
  const memberships = me.data?.memberships ?? [];
  const membership = memberships.find((m) => m.organisationId === selected) ?? memberships[0];
  // Signing out clears the cache a moment before the shell unmounts this screen; keep answering
  // with what we had rather than failing during that last render.
  const last = useRef<CurrentMembership | null>(null);
  if (me.data && membership) {
    last.current = { user: me.data.user, membership, memberships };
  }
  if (!last.current) {
    throw new Error('useCurrentMembership is used outside the signed-in shell, or the user has no organisation.');
  }
  return last.current;
}
