import {
  GroupDashboardSchema,
  GroupDetailSchema,
  GroupListSchema,
  GroupMembershipSchema,
  GroupPersonSchema,
  GroupReportListSchema,
  GroupReportSchema,
  GroupSchema,
  OrganisationGroupsSchema,
} from '@hoh/contracts';
import type { Group, GroupDashboard, GroupDashboardQuery, GroupDetail, GroupList, GroupReport, GroupReportList, OrganisationGroups } from '@hoh/contracts';
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { orgPath } from '@/features/organisations';

/** Query keys of the groups feature (docs/PRODUCT.md §16); every mutation invalidates what it changed. */
export const groupKeys = {
  mine: () => ['groups'] as const,
  group: (groupId: string) => ['groups', groupId] as const,
  dashboard: (groupId: string, filters: GroupDashboardQuery) => ['groups', groupId, 'dashboard', filters] as const,
  ofOrganisation: (orgId: string) => ['orgs', orgId, 'groups'] as const,
  reports: (groupId: string) => ['groups', groupId, 'reports'] as const,
};

const groupPath = (groupId: string, rest = ''): string => `/api/v1/groups/${encodeURIComponent(groupId)}${rest}`;

export const getMyGroupsQueryOptions = () =>
  queryOptions({ queryKey: groupKeys.mine(), queryFn: ({ signal }): Promise<GroupList> => apiClient.get('/api/v1/groups', GroupListSchema, signal) });
export const useMyGroups = () => useQuery(getMyGroupsQueryOptions());

export const useGroup = (groupId: string) =>
  useQuery({ queryKey: groupKeys.group(groupId), queryFn: ({ signal }): Promise<GroupDetail> => apiClient.get(groupPath(groupId), GroupDetailSchema, signal) });

export const getGroupDashboardQueryOptions = (groupId: string, filters: GroupDashboardQuery) =>
  queryOptions({
    queryKey: groupKeys.dashboard(groupId, filters),
    queryFn: ({ signal }): Promise<GroupDashboard> => {
      const params = new URLSearchParams();
      if (filters.jurisdiction) params.set('jurisdiction', filters.jurisdiction);
      if (filters.serviceType) params.set('serviceType', filters.serviceType);
      const query = params.toString();
      return apiClient.get(groupPath(groupId, `/dashboard${query ? `?${query}` : ''}`), GroupDashboardSchema, signal);
    },
  });
// The previous result stays on screen while a new filter loads, so the filters keep their place.
export const useGroupDashboard = (groupId: string, filters: GroupDashboardQuery) => useQuery({ ...getGroupDashboardQueryOptions(groupId, filters), placeholderData: keepPreviousData });

export const useOrganisationGroups = (orgId: string) =>
  useQuery({
    queryKey: groupKeys.ofOrganisation(orgId),
    queryFn: ({ signal }): Promise<OrganisationGroups> => apiClient.get(orgPath(orgId, '/groups'), OrganisationGroupsSchema, signal),
  });

export function useCreateGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string): Promise<Group> => apiClient.post('/api/v1/groups', { name }, GroupSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: groupKeys.mine(), exact: true }),
  });
}

/** Every change to a group's members or people can change both its page and its dashboard. */
function useGroupMutation<T, R>(groupId: string, fn: (input: T) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: groupKeys.group(groupId) }) });
}

export const useInviteOrganisation = (groupId: string) =>
  useGroupMutation(groupId, (organisationId: string) => apiClient.post(groupPath(groupId, '/invitations'), { organisationId }, GroupMembershipSchema));
export const useEndMembership = (groupId: string) =>
  useGroupMutation(groupId, (organisationId: string) => apiClient.delete(groupPath(groupId, `/organisations/${encodeURIComponent(organisationId)}`), null));
export const useAddViewer = (groupId: string) =>
  useGroupMutation(groupId, (email: string) => apiClient.post(groupPath(groupId, '/viewers'), { email }, GroupPersonSchema));
export const useRemoveViewer = (groupId: string) =>
  useGroupMutation(groupId, (userId: string) => apiClient.delete(groupPath(groupId, `/viewers/${encodeURIComponent(userId)}`), null));

/** The organisation's side: accept, leave or publish; each changes what the organisation's groups see. */
function useOrganisationGroupMutation<T>(orgId: string, fn: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: groupKeys.ofOrganisation(orgId), exact: true });
      await queryClient.invalidateQueries({ queryKey: groupKeys.mine() });
    },
  });
}

export const useAcceptGroup = (orgId: string) =>
  useOrganisationGroupMutation(orgId, (groupId: string) => apiClient.post(orgPath(orgId, `/groups/${encodeURIComponent(groupId)}/accept`), undefined, OrganisationGroupsSchema));
export const useLeaveGroup = (orgId: string) =>
  useOrganisationGroupMutation(orgId, (groupId: string) => apiClient.delete(orgPath(orgId, `/groups/${encodeURIComponent(groupId)}`), null));
export const usePublishSummary = (orgId: string) =>
  useOrganisationGroupMutation(orgId, () => apiClient.post(orgPath(orgId, '/groups/summary'), undefined, OrganisationGroupsSchema));
export const useGrantFullRead = (orgId: string) =>
  useOrganisationGroupMutation(orgId, (groupId: string) => apiClient.put(orgPath(orgId, `/groups/${encodeURIComponent(groupId)}/full-read`), undefined, OrganisationGroupsSchema));
export const useRevokeFullRead = (orgId: string) =>
  useOrganisationGroupMutation(orgId, (groupId: string) => apiClient.delete(orgPath(orgId, `/groups/${encodeURIComponent(groupId)}/full-read`), null));

/** The group board report (docs/PRODUCT.md §16.6): a queued report is polled until the worker has rendered it. */
export const useGroupReports = (groupId: string) =>
  useQuery({
    queryKey: groupKeys.reports(groupId),
    queryFn: ({ signal }): Promise<GroupReportList> => apiClient.get(groupPath(groupId, '/reports'), GroupReportListSchema, signal),
    refetchInterval: (query) => (query.state.data?.items.some((r) => r.status === 'queued' || r.status === 'rendering') ? 1000 : false),
  });
export function useGenerateGroupReport(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (): Promise<GroupReport> => apiClient.post(groupPath(groupId, '/reports'), undefined, GroupReportSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: groupKeys.reports(groupId) }),
  });
}
export const groupReportPdfHref = (groupId: string, reportId: string): string => groupPath(groupId, `/reports/${encodeURIComponent(reportId)}/pdf`);
