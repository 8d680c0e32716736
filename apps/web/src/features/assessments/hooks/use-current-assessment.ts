import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

import { useAssessments } from '../api/get-assessments';

/**
 * The assessment the screens work on: `?assessment=<id>` when the user opened one from the list,
 * else the newest (organisations run about one a year, and the newest is this year's).
 * `missing` is true when the URL names an assessment this organisation does not have (unknown,
 * or another organisation's): screens show not-found rather than quietly showing another one.
 */
export function useCurrentAssessment(orgId: string) {
  const [params, setParams] = useSearchParams();
  const list = useAssessments(orgId);
  const wanted = params.get('assessment');
  const items = list.data ?? [];
  const missing = wanted !== null && list.data !== undefined && !items.some((a) => a.id === wanted);
  const current = items.find((a) => a.id === wanted) ?? (missing ? undefined : items[0]);
  const open = useCallback(
    (id: string) =>
      setParams((p) => {
        p.set('assessment', id);
        return p;
      }),
    [setParams],
  );
  return { list, current, open, missing };
}
