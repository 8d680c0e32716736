import { BulkUpdateActionsResponseSchema } from '@hoh/contracts';
import type { Action, BulkUpdateActionsRequest, BulkUpdateActionsResponse } from '@hoh/contracts';
import { useMutation } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { actionsPath } from './keys';
import { useInvalidateActions } from './update-action';

export type BulkChange = Pick<BulkUpdateActionsRequest, 'ownerId' | 'dueDate'>;

/**
 * Assigns and/or dates many actions in one request, all or nothing. Each carries the version the
 * board shows, so a row someone changed meanwhile refuses the whole change (412) rather than
 * overwriting theirs.
 */
export const bulkUpdateActions = (orgId: string, actions: readonly Pick<Action, 'id' | 'version'>[], change: BulkChange): Promise<BulkUpdateActionsResponse> =>
  apiClient.patch(actionsPath(orgId), { items: actions.map((a) => ({ id: a.id, version: a.version })), ...change }, BulkUpdateActionsResponseSchema);

export function useBulkUpdateActions(orgId: string) {
  const invalidate = useInvalidateActions(orgId);
  return useMutation({
    mutationFn: ({ actions, change }: { actions: readonly Pick<Action, 'id' | 'version'>[]; change: BulkChange }) => bulkUpdateActions(orgId, actions, change),
    // Refused or not, the board reloads: after a 412 it then shows the versions to retry from.
    onSettled: invalidate,
  });
}
