import type { Action, UpdateActionRequest } from '@hoh/contracts';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';

import { NotFoundPanel } from '@/components/errors/not-found-panel';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { actionsCsvHref } from '@/features/actions/api/keys';
import type { ActionFilters } from '@/features/actions/api/keys';
import { useActions } from '@/features/actions/api/get-actions';
import { useSuggestActions } from '@/features/actions/api/suggest-actions';
import { useUpdateAction } from '@/features/actions/api/update-action';
import { rightsFor } from '@/features/actions/components/action-controls';
import { BulkActionsBar } from '@/features/actions/components/bulk-actions-bar';
import { ActionFiltersBar, applyFiltersToParams, CLEARED, filtersFromParams } from '@/features/actions/components/action-filters';
import { ActionsKanban } from '@/features/actions/components/actions-kanban';
import { ActionsTable } from '@/features/actions/components/actions-table';
import { PriorityDialog } from '@/features/actions/components/priority-dialog';
import { StatusDialog } from '@/features/actions/components/status-dialog';
import { WhatIfPanel } from '@/features/actions/components/what-if-panel';
import { ACTION_STATUS_LABELS, ACTION_STATUSES } from '@/features/actions/vocabulary';
import type { ActionStatus } from '@/features/actions/vocabulary';
import { useCurrentAssessment } from '@/features/assessments/hooks/use-current-assessment';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useFramework } from '@/features/frameworks/api/get-framework';
import { useMembers } from '@/features/organisations/api/get-members';
import { describeError } from '@/lib/api-client';
import { can } from '@/lib/permissions';

type Dialog = { kind: 'status'; action: Action; to: ActionStatus } | { kind: 'priority'; action: Action } | null;

export function Component() {
  const { user, membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const canManage = can(membership, 'manage');
  const canContribute = can(membership, 'contribute');
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const view = params.get('view') === 'kanban' ? 'kanban' : 'table';
  // Navigation is asynchronous: quick successive filter changes build on the last one asked for,
  // not on the address as last rendered, so none is lost.
  const pending = useRef<URLSearchParams | null>(null);
  useEffect(() => {
    pending.current = null;
  }, [params]);
  const changeFilters = (patch: ActionFilters) => {
    const next = applyFiltersToParams(pending.current ?? params, patch);
    pending.current = next;
    setParams(next);
  };

  const actions = useActions(orgId, filters);
  const members = useMembers(orgId);
  const { current, missing } = useCurrentAssessment(orgId);
  const framework = useFramework(current?.framework);
  const suggest = useSuggestActions(orgId, current?.id ?? '');
  const update = useUpdateAction(orgId);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const nameOf = (id: string | null) => (id === null ? 'Unassigned' : (members.data?.find((m) => m.userId === id)?.name ?? 'A former member'));
  const domains = framework.data?.domains.map((d) => ({ id: d.id, title: d.title })) ?? [];
  const domainTitle = (id: string) => domains.find((d) => d.id === id)?.title ?? id;
  const setView = (v: 'table' | 'kanban') =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (v === 'table') next.delete('view');
      else next.set('view', v);
      return next;
    });
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const handlers = {
    rights: (a: Action) => rightsFor(a, user.id, canManage, canContribute),
    nameOf,
    members: members.data ?? [],
    onUpdate: (action: Action, body: UpdateActionRequest) => update.mutate({ action, body }),
    onAskStatus: (action: Action, to: ActionStatus) => setDialog({ kind: 'status', action, to }),
    onPriority: (action: Action) => setDialog({ kind: 'priority', action }),
    selected,
    onToggleSelected: toggle,
    onSelectAll: (ids: readonly string[], select: boolean) =>
      setSelected((s) => {
        const next = new Set(s);
        for (const id of ids) {
          if (select) next.add(id);
          else next.delete(id);
        }
        return next;
      }),
  };
  const items = actions.data?.items ?? [];
  const counts = actions.data?.counts;
  const filtered = Object.entries(filters).some(([k, v]) => k !== 'sort' && v !== undefined);

  if (missing) {
    return (
      <>
        <PageHeader title="Remediation" />
        <NotFoundPanel what="Assessment" />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Remediation"
        lead="Every gap becomes an action with an owner, a due date, a priority and the score it is predicted to add. Overdue actions are flagged everywhere."
      />

      <div className="board-toolbar">
        <div className="segmented" role="group" aria-label="View">
          <button type="button" className={`segmented__btn${view === 'table' ? ' is-active' : ''}`} aria-pressed={view === 'table'} onClick={() => setView('table')}>
            Table
          </button>
          <button type="button" className={`segmented__btn${view === 'kanban' ? ' is-active' : ''}`} aria-pressed={view === 'kanban'} onClick={() => setView('kanban')}>
            Kanban
          </button>
        </div>
        <div className="board-toolbar__actions">
          {canManage && current ? (
            <Button onClick={() => suggest.mutate()} isLoading={suggest.isPending}>
              Generate suggestions
            </Button>
          ) : null}
          <a className="btn btn--secondary" href={actionsCsvHref(orgId)} download>
            Export CSV
          </a>
        </div>
      </div>

      {suggest.data ? (
        <Alert tone="success" title={suggest.data.created.length === 0 ? 'No new suggestions' : `${String(suggest.data.created.length)} actions suggested`}>
          {suggest.data.created.length === 0
            ? `Every gap in “${current?.title ?? ''}” already has an action (${String(suggest.data.unchanged)} unchanged).`
            : `One for each question below target in “${current?.title ?? ''}” (none for questions answered N/A); ${String(suggest.data.created.filter((a) => a.ownerId !== null).length)} start owned by the member the question is assigned to. ${String(suggest.data.unchanged)} existing actions were left as they were.`}
        </Alert>
      ) : null}
      {suggest.error ? (
        <Alert tone="error" title="No suggestions were made">
          {describeError(suggest.error)}
        </Alert>
      ) : null}
      {update.error && !dialog ? (
        <Alert tone="error" title="The change was not saved">
          {describeError(update.error)}
        </Alert>
      ) : null}

      <ActionFiltersBar filters={filters} onChange={changeFilters} members={members.data ?? []} domains={domains} />

      {counts ? (
        <p className="counts" aria-label="Actions by status">
          {ACTION_STATUSES.map((s) => (
            <span key={s} className="counts__item">
              {ACTION_STATUS_LABELS[s]} <strong>{counts[s]}</strong>
            </span>
          ))}
          <span className={`counts__item${counts.overdue > 0 ? ' counts__item--overdue' : ''}`}>
            Overdue <strong>{counts.overdue}</strong>
          </span>
        </p>
      ) : null}

      <BulkActionsBar
        orgId={orgId}
        actions={items.filter((a) => selected.has(a.id))}
        members={members.data ?? []}
        userId={user.id}
        canManage={canManage}
        canContribute={canContribute}
      />

      <WhatIfPanel orgId={orgId} assessmentId={current?.id} actionIds={[...selected].sort()} domainTitle={domainTitle} onClear={() => setSelected(new Set())} />

      <div className="board">
          {actions.isPending ? <Spinner label="Loading actions…" /> : null}
          {actions.error ? <LoadError what="the actions" error={actions.error} onRetry={() => void actions.refetch()} /> : null}
          {actions.data && items.length === 0 ? (
            filtered ? (
              <EmptyState title="No action matches these filters" action={<Button variant="secondary" onClick={() => changeFilters(CLEARED)}>Clear filters</Button>}>
                <p>Widen or clear the filters to see more.</p>
              </EmptyState>
            ) : (
              <EmptyState
                title="No remediation actions yet"
                action={
                  canManage && current ? (
                    <Button onClick={() => suggest.mutate()} isLoading={suggest.isPending}>
                      Generate suggestions
                    </Button>
                  ) : !current ? (
                    <Link className="btn btn--primary" to={paths.app.overview.getHref()}>
                      Go to the overview
                    </Link>
                  ) : null
                }
              >
                <p>
                  {canManage
                    ? current
                      ? 'Generate one action per question below its target, with priority and predicted uplift, then assign owners and dates.'
                      : 'Start an assessment first; its gaps become the suggested actions.'
                    : 'Owners and assessors create the actions; they appear here then.'}
                </p>
              </EmptyState>
            )
          ) : null}
          {items.length > 0 ? view === 'table' ? <ActionsTable actions={items} {...handlers} /> : <ActionsKanban actions={items} {...handlers} /> : null}
      </div>

      {dialog?.kind === 'status' ? <StatusDialog orgId={orgId} action={dialog.action} to={dialog.to} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'priority' ? <PriorityDialog orgId={orgId} action={dialog.action} onClose={() => setDialog(null)} /> : null}
    </>
  );
}
