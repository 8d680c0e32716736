import { orgPath } from '@/features/organisations';

/** The board's filters, as sent in the query string (ActionListQuerySchema). */
export interface ActionFilters {
  status?: string | undefined;
  ownerId?: string | undefined;
  horizon?: string | undefined;
  priority?: string | undefined;
  domain?: string | undefined;
  overdue?: 'true' | undefined;
  sort?: string | undefined;
}

/** Query keys of the remediation feature; every mutation invalidates exactly the keys it changed. */
export const actionKeys = {
  /** Every filtered list of the organisation: a changed action can enter or leave any of them. */
  lists: (orgId: string) => ['orgs', orgId, 'actions', 'list'] as const,
  list: (orgId: string, filters: ActionFilters) => ['orgs', orgId, 'actions', 'list', filters] as const,
  whatIf: (orgId: string, assessmentId: string, actionIds: readonly string[]) => ['orgs', orgId, 'assessments', assessmentId, 'what-if', actionIds] as const,
};

export const actionsPath = (orgId: string, rest = ''): string => orgPath(orgId, `/actions${rest}`);

export function filtersToQuery(filters: ActionFilters): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) {
    if (typeof v === 'string' && v !== '') q.set(k, v);
  }
  return q;
}

/** The CSV of every action (the same columns whatever the filters). */
export const actionsCsvHref = (orgId: string): string => actionsPath(orgId, '/export.csv');
