/** Query keys of the assessment feature; every mutation invalidates exactly the keys it changed. */
export const assessmentKeys = {
  list: (orgId: string) => ['orgs', orgId, 'assessments'] as const,
  detail: (orgId: string, id: string) => ['orgs', orgId, 'assessments', id] as const,
  score: (orgId: string, id: string) => ['orgs', orgId, 'assessments', id, 'score'] as const,
  attestation: (orgId: string, id: string) => ['orgs', orgId, 'assessments', id, 'attestation-check'] as const,
};

export const assessmentPath = (orgId: string, id?: string, rest = ''): string =>
  `/api/v1/orgs/${encodeURIComponent(orgId)}/assessments${id ? `/${encodeURIComponent(id)}` : ''}${rest}`;
