import {
  DrillFirstHourResponseSchema,
  DrillListResponseSchema,
  DrillPlaybookResponseSchema,
  DrillResponseSchema,
  DrillScenarioListResponseSchema,
  DrillScheduleResponseSchema,
} from '@hoh/contracts';
import type { AddDrillNoteRequest, DrillResponse, FinishDrillRequest, RecordDrillDecisionRequest, StartDrillRequest } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient, request } from '@/lib/api-client';
import { orgPath } from '@/features/organisations';

/** Incident drills (docs/PRODUCT.md §15): one file for the feature's endpoints, each with its key. */
export const drillKeys = {
  scenarios: (orgId: string) => ['orgs', orgId, 'drills', 'scenarios'] as const,
  list: (orgId: string) => ['orgs', orgId, 'drills', 'list'] as const,
  one: (orgId: string, drillId: string) => ['orgs', orgId, 'drills', 'one', drillId] as const,
  schedule: (orgId: string) => ['orgs', orgId, 'drills', 'schedule'] as const,
  playbook: (orgId: string) => ['orgs', orgId, 'drills', 'playbook'] as const,
  firstHour: () => ['drills', 'first-hour'] as const,
};

const drillsPath = (orgId: string, rest = ''): string => orgPath(orgId, `/drills${rest}`);

export const getDrillScenariosQueryOptions = (orgId: string) =>
  queryOptions({
    queryKey: drillKeys.scenarios(orgId),
    queryFn: ({ signal }) => apiClient.get(drillsPath(orgId, '/scenarios'), DrillScenarioListResponseSchema, signal),
    staleTime: Infinity,
  });
export const useDrillScenarios = (orgId: string) => useQuery(getDrillScenariosQueryOptions(orgId));

/** Per scenario: last exercised and what is due (docs/PRODUCT.md §15.5); under the list's key prefix, so a finish refreshes it. */
export const useDrillSchedule = (orgId: string) =>
  useQuery({ queryKey: drillKeys.schedule(orgId), queryFn: ({ signal }) => apiClient.get(drillsPath(orgId, '/schedule'), DrillScheduleResponseSchema, signal) });

/** The organisation's own playbook and last drill record (§15.7), for the found-suspected-material page. */
export const useDrillPlaybook = (orgId: string | null) =>
  useQuery({
    queryKey: drillKeys.playbook(orgId ?? ''),
    queryFn: ({ signal }) => apiClient.get(drillsPath(orgId ?? '', '/playbook'), DrillPlaybookResponseSchema, signal),
    enabled: orgId !== null,
  });

/** Public, no sign-in: each scenario's organisation-neutral first-hour steps (§15.7). */
export const useDrillFirstHour = () =>
  useQuery({ queryKey: drillKeys.firstHour(), queryFn: ({ signal }) => apiClient.get('/api/v1/drills/first-hour', DrillFirstHourResponseSchema, signal), staleTime: Infinity });

export const getDrillsQueryOptions = (orgId: string) =>
  queryOptions({ queryKey: drillKeys.list(orgId), queryFn: ({ signal }) => apiClient.get(drillsPath(orgId), DrillListResponseSchema, signal) });
export const useDrills = (orgId: string) => useQuery(getDrillsQueryOptions(orgId));

/** A running drill is polled, so participants see injects as the facilitator reveals them. */
export const getDrillQueryOptions = (orgId: string, drillId: string) =>
  queryOptions({
    queryKey: drillKeys.one(orgId, drillId),
    queryFn: ({ signal }) => apiClient.get(drillsPath(orgId, `/${encodeURIComponent(drillId)}`), DrillResponseSchema, signal),
    refetchInterval: (query) => (query.state.data && query.state.data.status !== 'finished' ? 5000 : false),
  });
export const useDrill = (orgId: string, drillId: string) => useQuery(getDrillQueryOptions(orgId, drillId));

export function useStartDrill(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: StartDrillRequest) => apiClient.post(drillsPath(orgId), body, DrillResponseSchema),
    onSuccess: (drill) => {
      queryClient.setQueryData(drillKeys.one(orgId, drill.id), drill);
      void queryClient.invalidateQueries({ queryKey: drillKeys.list(orgId) });
    },
  });
}

export type DrillStep =
  | { kind: 'reveal' | 'pause' | 'resume' }
  | { kind: 'decisions'; body: RecordDrillDecisionRequest }
  | { kind: 'notes'; body: AddDrillNoteRequest }
  | { kind: 'finish'; body: FinishDrillRequest };

/** Every write names the version it was made against (If-Match): a step taken in another tab answers 412. */
export function useDrillStep(orgId: string, drill: DrillResponse) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (step: DrillStep) =>
      request(drillsPath(orgId, `/${encodeURIComponent(drill.id)}/${step.kind}`), {
        method: 'POST',
        body: 'body' in step ? step.body : {},
        schema: DrillResponseSchema,
        headers: { 'If-Match': `"${String(drill.version)}"` },
      }),
    onSuccess: (updated) => {
      queryClient.setQueryData(drillKeys.one(orgId, updated.id), updated);
      if (updated.status === 'finished') {
        void queryClient.invalidateQueries({ queryKey: drillKeys.list(orgId) });
        void queryClient.invalidateQueries({ queryKey: drillKeys.schedule(orgId) });
      }
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: drillKeys.one(orgId, drill.id) }),
  });
}

/** Where the record PDF downloads from: the evidence file route, which also records the open. */
export const drillRecordHref = (orgId: string, evidenceId: string): string => orgPath(orgId, `/evidence/${encodeURIComponent(evidenceId)}/content`);

/** Opens the playbook evidence: a file downloads, a link redirects (both record the open, as any evidence open does). */
export const playbookHref = (orgId: string, evidenceId: string): string => orgPath(orgId, `/evidence/${encodeURIComponent(evidenceId)}/open`);
