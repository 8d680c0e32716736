/** Query keys of the organisation feature; every mutation invalidates exactly the keys it changed. */
export const organisationKeys = {
  all: (orgId: string) => ['orgs', orgId] as const,
  profile: (orgId: string) => ['orgs', orgId, 'profile'] as const,
  applicability: (orgId: string) => ['orgs', orgId, 'applicability'] as const,
  preview: (orgId: string, draft: unknown) => ['orgs', orgId, 'applicability-preview', draft] as const,
  exposure: (orgId: string) => ['orgs', orgId, 'exposure'] as const,
  members: (orgId: string) => ['orgs', orgId, 'members'] as const,
};

export const orgPath = (orgId: string, rest = ''): string => `/api/v1/orgs/${encodeURIComponent(orgId)}${rest}`;
