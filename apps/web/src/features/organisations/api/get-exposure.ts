import { ExposureResponseSchema } from '@hoh/contracts';
import type { ExposureResponse } from '@hoh/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { organisationKeys, orgPath } from './keys';

export const getExposure = (orgId: string, signal?: AbortSignal): Promise<ExposureResponse> =>
  apiClient.get(orgPath(orgId, '/exposure'), ExposureResponseSchema, signal);

export const getExposureQueryOptions = (orgId: string, enabled = true) =>
  queryOptions({ queryKey: organisationKeys.exposure(orgId), queryFn: ({ signal }) => getExposure(orgId, signal), enabled });

export const useExposure = (orgId: string, enabled = true) => useQuery(getExposureQueryOptions(orgId, enabled));
