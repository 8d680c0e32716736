import type { Action } from '@hoh/contracts';

import { ACTION_STATUS_LABELS, ACTION_STATUSES } from '../vocabulary';

import { ActionNumber, DueText, PriorityTag, upliftText } from './action-bits';
import { StatusMove } from './action-controls';
import type { BoardHandlers } from './actions-table';
import '../actions.css';

/** Columns by status; cards move with the status select (keyboard and screen-reader operable). */
export function ActionsKanban({ actions, ...h }: BoardHandlers & { actions: readonly Action[] }) {
  return (
    <div className="kanban">
      {ACTION_STATUSES.map((status) => {
        const cards = actions.filter((a) => a.status === status);
        const headingId = `kanban-${status}`;
        return (
          <section key={status} className="kanban__column" aria-labelledby={headingId}>
            <h3 id={headingId} className="kanban__title">
              {ACTION_STATUS_LABELS[status]} <span className="muted">({cards.length})</span>
            </h3>
            {cards.length === 0 ? <p className="muted small">None</p> : null}
            <ul className="kanban__cards">
              {cards.map((a) => {
                const r = h.rights(a);
                return (
                  <li key={a.id} className={`kanban__card card${a.overdue ? ' is-overdue' : ''}`}>
                    <p className="kanban__card-title">
                      <ActionNumber number={a.number} /> <span>{a.title}</span>
                    </p>
                    <p className="small">
                      <PriorityTag action={a} /> <DueText action={a} />
                    </p>
                    <p className="muted small">
                      {h.nameOf(a.ownerId)} · uplift {upliftText(a)}
                    </p>
                    <label className="choice small">
                      <input type="checkbox" checked={h.selected.has(a.id)} onChange={() => h.onToggleSelected(a.id)} />
                      <span>What if done</span>
                    </label>
                    {r.own ? <StatusMove action={a} onMove={(to) => h.onUpdate(a, { status: to })} onAsk={(to) => h.onAskStatus(a, to)} /> : null}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
