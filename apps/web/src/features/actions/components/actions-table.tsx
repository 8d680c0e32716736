import type { Action, Member, UpdateActionRequest } from '@hoh/contracts';

import { Button } from '@/components/ui/button';
import { ACTION_STATUS_LABELS } from '../vocabulary';
import type { ActionStatus } from '../vocabulary';

import { ActionNumber, DueText, PriorityTag, upliftText } from './action-bits';
import { DueDateInput, InlineTitle, OwnerSelect, StatusMove } from './action-controls';
import type { ActionRights } from './action-controls';
import './actions-table.css';
import '../actions.css';

export interface BoardHandlers {
  rights: (action: Action) => ActionRights;
  nameOf: (userId: string | null) => string;
  members: readonly Member[];
  onUpdate: (action: Action, body: UpdateActionRequest) => void;
  onAskStatus: (action: Action, to: ActionStatus) => void;
  onPriority: (action: Action) => void;
  selected: ReadonlySet<string>;
  onToggleSelected: (id: string) => void;
  /** Selects (or clears) every listed action at once, for the what-if projection and bulk changes. */
  onSelectAll?: (ids: readonly string[], select: boolean) => void;
}

/** The table view: every column sortable by the board's sort control, inline edits where allowed. */
export function ActionsTable({ actions, ...h }: BoardHandlers & { actions: readonly Action[] }) {
  const chosen = actions.filter((a) => h.selected.has(a.id)).length;
  const all = actions.length > 0 && chosen === actions.length;
  return (
    <div className="table-wrap">
      <table className="table actions-table">
        <caption className="visually-hidden">Remediation actions</caption>
        <thead>
          <tr>
            <th scope="col">
              {h.onSelectAll ? (
                <input
                  type="checkbox"
                  aria-label={all ? 'Clear the selection' : `Select all ${String(actions.length)} actions`}
                  checked={all}
                  ref={(el) => {
                    if (el) el.indeterminate = chosen > 0 && !all;
                  }}
                  onChange={() => h.onSelectAll?.(actions.map((a) => a.id), !all)}
                />
              ) : (
                <span className="visually-hidden">Select</span>
              )}
            </th>
            <th scope="col">No.</th>
            <th scope="col">Action</th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col">Owner</th>
            <th scope="col">Due</th>
            <th scope="col">Uplift</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((a) => {
            const r = h.rights(a);
            return (
              <tr key={a.id} className={a.overdue ? 'is-overdue' : undefined} data-testid={`action-${a.id}`}>
                <td>
                  <input type="checkbox" aria-label={`Select “${a.title}”`} checked={h.selected.has(a.id)} onChange={() => h.onToggleSelected(a.id)} />
                </td>
                <td className="actions-table__number">
                  <ActionNumber number={a.number} />
                </td>
                <td className="actions-table__title">
                  <InlineTitle action={a} editable={r.own} onSave={(title) => h.onUpdate(a, { title })} />
                  <span className="muted small">
                    {a.questionIds.join(', ')}
                    {/* Links on earlier banks stay (docs/PRODUCT.md §7.1): an older signed report names those. */}
                    {a.questionLinks
                      .filter((l) => l.bankVersion !== a.bankVersion)
                      .map((l) => ` · on bank ${l.bankVersion}: ${l.questionIds.join(', ') || 'none'}`)
                      .join('')}
                    {a.suggested ? ' · suggested' : ''}
                    {a.readyToClose && a.status !== 'done' ? ' · targets reached, ready to close' : ''}
                  </span>
                  {a.closingNote && a.status === 'done' ? <span className="small">Closed: {a.closingNote}</span> : null}
                  {a.statusReason && a.status !== 'done' ? <span className="small">Reason: {a.statusReason}</span> : null}
                </td>
                <td>
                  {r.own ? (
                    <StatusMove action={a} onMove={(to) => h.onUpdate(a, { status: to })} onAsk={(to) => h.onAskStatus(a, to)} />
                  ) : (
                    ACTION_STATUS_LABELS[a.status]
                  )}
                </td>
                <td>
                  <PriorityTag action={a} />
                  {r.manage ? (
                    <Button variant="ghost" className="btn--small" aria-label={`Override priority of “${a.title}”`} onClick={() => h.onPriority(a)}>
                      Override
                    </Button>
                  ) : null}
                </td>
                <td>{r.manage ? <OwnerSelect action={a} members={h.members} onChange={(ownerId) => h.onUpdate(a, { ownerId })} /> : h.nameOf(a.ownerId)}</td>
                <td>
                  {r.own ? <DueDateInput action={a} onChange={(dueDate) => h.onUpdate(a, { dueDate })} /> : null}
                  <DueText action={a} />
                </td>
                <td title="Predicted rise of the overall score if every linked question reaches its target">{upliftText(a)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
