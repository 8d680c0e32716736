import { ActionSchema } from '@hoh/contracts';
import type { Action, UpdateActionRequest } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, request } from '@/lib/api-client';
import { dashboardKey } from '@/features/dashboard';

import { actionKeys, actionsPath } from './keys';

export const updateAction = (orgId: string, action: Pick<Action, 'id' | 'version'>, body: UpdateActionRequest): Promise<Action> =>
  request(actionsPath(orgId, `/${encodeURIComponent(action.id)}`), {
    method: 'PATCH',
    body,
    schema: ActionSchema,
    // A stale board row gets 412 rather than silently overwriting someone else's change.
    headers: { 'If-Match': `"${String(action.version)}"` },
  });

export const createAction = (orgId: string, body: { title: string; ownerId?: string | null; dueDate?: string | null; questionIds?: string[] }) =>
  apiClient.post(actionsPath(orgId), body, ActionSchema);

/** Invalidates every filtered list of actions (a change can move a row between them) and the overview. */
export function useInvalidateActions(orgId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: actionKeys.lists(orgId) }),
      queryClient.invalidateQueries({ queryKey: dashboardKey(orgId), exact: true }),
    ]);
}

export function useUpdateAction(orgId: string) {
  const invalidate = useInvalidateActions(orgId);
  return useMutation({
    mutationFn: ({ action, body }: { action: Pick<Action, 'id' | 'version'>; body: UpdateActionRequest }) => updateAction(orgId, action, body),
    onSettled: invalidate,
  });
}

export function useCreateAction(orgId: string) {
  const invalidate = useInvalidateActions(orgId);
  return useMutation({ mutationFn: (body: Parameters<typeof createAction>[1]) => createAction(orgId, body), onSuccess: invalidate });
}
