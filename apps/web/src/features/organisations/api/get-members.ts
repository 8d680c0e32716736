import { MemberPageSchema } from '@hoh/contracts';
import type { Member } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { organisationKeys, orgPath } from './keys';

/** Every member, following nextCursor: organisations are small and screens need the whole list. */
export async function getMembers(orgId: string, signal?: AbortSignal): Promise<Member[]> {
  const members: Member[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=200&cursor=${encodeURIComponent(cursor)}` : '?limit=200';
    const page = await apiClient.get(orgPath(orgId, `/members${query}`), MemberPageSchema, signal);
    members.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return members;
}

export const getMembersQueryOptions = (orgId: string) =>
  queryOptions({ queryKey: organisationKeys.members(orgId), queryFn: ({ signal }) => getMembers(orgId, signal) });

export const useMembers = (orgId: string) => useQuery(getMembersQueryOptions(orgId));
