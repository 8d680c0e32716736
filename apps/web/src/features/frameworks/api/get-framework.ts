import { FrameworkResponseSchema } from '@hoh/contracts';
import type { Framework } from '@hoh/question-bank';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

export const frameworkKeys = {
  version: (id: string, version: string) => ['frameworks', id, version] as const,
};

export const getFramework = (id: string, version: string, signal?: AbortSignal): Promise<Framework> =>
  apiClient.get(
    `/api/v1/frameworks/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`,
    FrameworkResponseSchema,
    signal,
  );

export const getFrameworkQueryOptions = (id: string, version: string) =>
  queryOptions({
    queryKey: frameworkKeys.version(id, version),
    queryFn: ({ signal }) => getFramework(id, version, signal),
    // A published bank version never changes (docs/PRODUCT.md §3.4).
    staleTime: Infinity,
  });

export const useFramework = (ref: { id: string; version: string } | undefined) =>
  useQuery({
    ...getFrameworkQueryOptions(ref?.id ?? '', ref?.version ?? ''),
    enabled: ref !== undefined,
  });
