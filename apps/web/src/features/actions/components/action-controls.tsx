import type { Action, Member } from '@hoh/contracts';
import { useState } from 'react';
import type { KeyboardEvent } from 'react';

import { Button } from '@/components/ui/button';
import { ACTION_STATUS_LABELS, moveLabel, moveNeeds, movesFrom } from '../vocabulary';
import type { ActionStatus } from '../vocabulary';
import '../actions.css';

/** What the signed-in member may change on one action (docs/API.md §5). */
export interface ActionRights {
  /** Owners and assessors: everything, including owner and priority. */
  manage: boolean;
  /** Contributors: only actions they own (status, title, due date). */
  own: boolean;
}

export const rightsFor = (action: Action, userId: string, canManage: boolean, canContribute: boolean): ActionRights => ({
  manage: canManage,
  own: canManage || (canContribute && action.ownerId === userId),
});

/**
 * Status moves as a select, so the board is operable by keyboard (no drag and drop needed). A move
 * that needs nothing is sent at once; the rest open the dialog that asks for a note or reason.
 */
export function StatusMove({
  action,
  onMove,
  onAsk,
}: {
  action: Action;
  onMove: (to: ActionStatus) => void;
  onAsk: (to: ActionStatus) => void;
}) {
  return (
    <label className="inline-field">
      <span className="visually-hidden">Move “{action.title}”</span>
      <select
        className="field__input field__input--compact"
        value=""
        onChange={(e) => {
          const to = e.target.value as ActionStatus;
          if (moveNeeds(action.status, to) === null) onMove(to);
          else onAsk(to);
        }}
      >
        <option value="">{ACTION_STATUS_LABELS[action.status]} · move…</option>
        {movesFrom(action.status).map((to) => (
          <option key={to} value={to}>
            {moveLabel(action.status, to)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Members who may own an action (not auditors), split into those `suggestedIds` names (in that order) and the rest. */
export function ownerChoices(members: readonly Member[], suggestedIds: readonly string[]): { suggested: Member[]; others: Member[] } {
  const eligible = members.filter((m) => m.role !== 'auditor');
  const suggested = suggestedIds.flatMap((id) => eligible.filter((m) => m.userId === id));
  return { suggested, others: eligible.filter((m) => !suggestedIds.includes(m.userId)) };
}

/**
 * The owner options: "Unassigned", then the members the linked questions are assigned to (the
 * suggested owners, docs/PRODUCT.md §7.5), then everyone else who may own an action.
 */
export function OwnerOptions({ members, suggestedIds }: { members: readonly Member[]; suggestedIds: readonly string[] }) {
  const { suggested, others } = ownerChoices(members, suggestedIds);
  const options = (list: readonly Member[], hint = '') =>
    list.map((m) => (
      <option key={m.userId} value={m.userId}>
        {m.name}
        {hint}
      </option>
    ));
  return (
    <>
      <option value="">Unassigned</option>
      {suggested.length > 0 ? (
        <>
          <optgroup label="Suggested: assigned the question">{options(suggested, ' (assigned the question)')}</optgroup>
          {others.length > 0 ? <optgroup label="Other members">{options(others)}</optgroup> : null}
        </>
      ) : (
        options(others)
      )}
    </>
  );
}

export function OwnerSelect({ action, members, onChange }: { action: Action; members: readonly Member[]; onChange: (ownerId: string | null) => void }) {
  return (
    <label className="inline-field">
      <span className="visually-hidden">Owner of “{action.title}”</span>
      <select className="field__input field__input--compact" value={action.ownerId ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}>
        <OwnerOptions members={members} suggestedIds={action.suggestedOwnerIds} />
      </select>
    </label>
  );
}

export function DueDateInput({ action, onChange }: { action: Action; onChange: (dueDate: string | null) => void }) {
  const [value, setValue] = useState(action.dueDate ?? '');
  const [seen, setSeen] = useState(action.dueDate);
  if (seen !== action.dueDate) {
    setSeen(action.dueDate);
    setValue(action.dueDate ?? '');
  }
  const commit = () => {
    const next = value === '' ? null : value;
    if (next !== action.dueDate && (next === null || /^\d{4}-\d{2}-\d{2}$/.test(next))) onChange(next);
  };
  return (
    <label className="inline-field">
      <span className="visually-hidden">Due date of “{action.title}”</span>
      <input
        type="date"
        className="field__input field__input--compact"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </label>
  );
}

/** The title as text with an "Edit" button; Enter saves, Escape cancels. */
export function InlineTitle({ action, editable, onSave }: { action: Action; editable: boolean; onSave: (title: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(action.title);
  if (!editing) {
    return (
      <span className="inline-title">
        <span className="inline-title__text">{action.title}</span>
        {editable ? (
          <Button
            variant="ghost"
            className="btn--small"
            aria-label={`Edit title of “${action.title}”`}
            onClick={() => {
              setValue(action.title);
              setEditing(true);
            }}
          >
            Edit
          </Button>
        ) : null}
      </span>
    );
  }
  const save = () => {
    const title = value.trim();
    if (title !== '' && title !== action.title) onSave(title);
    setEditing(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      save();
    } else if (e.key === 'Escape') {
      setEditing(false);
    }
  };
  return (
    <span className="inline-title inline-title--editing">
      <label className="inline-field">
        <span className="visually-hidden">Title</span>
        <input className="field__input field__input--compact" value={value} maxLength={200} autoFocus onChange={(e) => setValue(e.target.value)} onKeyDown={onKeyDown} />
      </label>
      <Button className="btn--small" onClick={save}>
        Save
      </Button>
      <Button variant="ghost" className="btn--small" onClick={() => setEditing(false)}>
        Cancel
      </Button>
    </span>
  );
}
