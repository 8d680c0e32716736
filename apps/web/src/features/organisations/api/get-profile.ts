import { ProfileResponseSchema } from '@hoh/contracts';
import type { ProfileResponse } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { organisationKeys, orgPath } from './keys';

export const getProfile = (orgId: string, signal?: AbortSignal): Promise<ProfileResponse> =>
  apiClient.get(orgPath(orgId, '/profile'), ProfileResponseSchema, signal);

export const getProfileQueryOptions = (orgId: string) =>
  queryOptions({ queryKey: organisationKeys.profile(orgId), queryFn: ({ signal }) => getProfile(orgId, signal) });

export const useProfile = (orgId: string) => useQuery(getProfileQueryOptions(orgId));
