import type { Action, Member } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describeError } from '@/lib/api-client';
import { useBulkUpdateActions } from '../api/bulk-update-actions';
import type { BulkChange } from '../api/bulk-update-actions';

import { OwnerOptions } from './action-controls';
import './bulk-actions-bar.css';

const CHOOSE = '__choose';
const plural = (n: number) => `${String(n)} ${n === 1 ? 'action' : 'actions'}`;

/**
 * Assign and date the selected actions at once (PATCH …/actions, all or nothing). Offers only what
 * the server allows this member (docs/API.md §5): owners and assessors assign and date any action;
 * a contributor dates only actions they own, and is told why otherwise; auditors see nothing here.
 * The owner list starts with the members the selected actions' questions are assigned to.
 */
export function BulkActionsBar({
  orgId,
  actions,
  members,
  userId,
  canManage,
  canContribute,
}: {
  orgId: string;
  actions: readonly Action[];
  members: readonly Member[];
  userId: string;
  canManage: boolean;
  canContribute: boolean;
}) {
  const bulk = useBulkUpdateActions(orgId);
  const suggestedIds = [...new Set(actions.flatMap((a) => a.suggestedOwnerIds))];
  const [owner, setOwner] = useState<string | null>(null);
  const [dueDate, setDueDate] = useState('');
  const [done, setDone] = useState<string | null>(null);
  if (!canContribute || actions.length === 0) return null;

  const mayDate = canManage || actions.every((a) => a.ownerId === userId);
  // Until the member picks one, the owner offered is the first suggested (an assignee of the questions).
  const chosenOwner = owner ?? suggestedIds.find((id) => members.some((m) => m.userId === id && m.role !== 'auditor')) ?? CHOOSE;
  const nameOf = (id: string | null) => (id === null ? 'nobody' : (members.find((m) => m.userId === id)?.name ?? 'a former member'));

  const apply = (change: BulkChange, said: string) => {
    setDone(null);
    bulk.mutate({ actions, change }, { onSuccess: () => setDone(said) });
  };

  return (
    <form className="bulk-actions" aria-label="Change the selected actions" onSubmit={(e) => e.preventDefault()}>
      <p className="bulk-actions__count">
        <strong>{plural(actions.length)}</strong> selected
      </p>
      {canManage ? (
        <div className="field">
          <label className="field__label" htmlFor="bulk-owner">
            Owner
          </label>
          <span className="inline-field">
            <select id="bulk-owner" className="field__input field__input--compact" value={chosenOwner} onChange={(e) => setOwner(e.target.value)}>
              <option value={CHOOSE} disabled>
                Choose an owner…
              </option>
              <OwnerOptions members={members} suggestedIds={suggestedIds} />
            </select>
            <Button
              className="btn--small"
              disabled={chosenOwner === CHOOSE}
              isLoading={bulk.isPending}
              onClick={() => {
                const ownerId = chosenOwner === '' ? null : chosenOwner;
                apply({ ownerId }, ownerId === null ? `${plural(actions.length)} unassigned.` : `${plural(actions.length)} assigned to ${nameOf(ownerId)}.`);
              }}
            >
              Assign {plural(actions.length)}
            </Button>
          </span>
        </div>
      ) : null}
      {mayDate ? (
        <div className="field">
          <label className="field__label" htmlFor="bulk-due">
            Due date
          </label>
          <span className="inline-field">
            <input id="bulk-due" type="date" className="field__input field__input--compact" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
            <Button className="btn--small" disabled={!/^\d{4}-\d{2}-\d{2}$/.test(dueDate)} isLoading={bulk.isPending} onClick={() => apply({ dueDate }, `${plural(actions.length)} due on ${dueDate}.`)}>
              Set due date
            </Button>
            <Button variant="ghost" className="btn--small" isLoading={bulk.isPending} onClick={() => apply({ dueDate: null }, `Due dates cleared on ${plural(actions.length)}.`)}>
              Clear due dates
            </Button>
          </span>
        </div>
      ) : (
        <p className="muted small bulk-actions__note">You can change only the actions you own; some selected are not yours. Select only your own to set their due date.</p>
      )}
      <div className="bulk-actions__result">
        {done ? <Alert tone="success" title={done} /> : null}
        {bulk.error ? (
          <Alert tone="error" title="Nothing was changed">
            {describeError(bulk.error)}
          </Alert>
        ) : null}
      </div>
    </form>
  );
}
