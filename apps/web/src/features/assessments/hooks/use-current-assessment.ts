import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

import { useAssessments } from '../api/get-assessments';

/**
 * The assessment the screens work on: `?assessment=<id>` when the user opened one from the list,
 * else the newest (organisations run about one a year, and the newest is this year's).
 */
export function useCurrentAssessment(orgId: string) {
  const [params, setParams] = useSearchParams();
  const list = useAssessments(orgId);
  const wanted = params.get('assessment');
  const items = list.data ?? [];
  const current = items.find((a) => a.id === wanted) ?? items[0];
  const open = useCallback(
    (id: string) =>
      setParams((p) => {
        p.set('assessment', id);
        return p;
      }),
    [setParams],
  );
  return { list, current, open };
}
