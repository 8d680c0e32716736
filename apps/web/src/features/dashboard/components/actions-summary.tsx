import type { DashboardResponse } from '@hoh/contracts';
import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { formatDate } from '@/lib/format';
import { ActionNumber } from '@/features/actions';
import { ACTION_STATUS_LABELS, PRIORITY_LABELS } from '@/features/actions';
import '../dashboard.css';

/** Actions by status as a labelled bar list, and the overdue ones (text and style, never colour alone). */
export function ActionsSummary({ actions }: { actions: DashboardResponse['actions'] }) {
  const statuses = ['open', 'in_progress', 'blocked', 'done', 'risk_accepted'] as const;
  const total = statuses.reduce((n, s) => n + (actions.counts[s] ?? 0), 0);
  const board = paths.app.remediation.getHref();
  if (total === 0) {
    return (
      <p className="muted">
        No remediation actions yet. <Link to={board}>Generate suggestions on the remediation board</Link> from the gaps in your assessment.
      </p>
    );
  }
  return (
    <>
      <ul className="status-bars" aria-label="Actions by status">
        {statuses.map((s) => {
          const n = actions.counts[s] ?? 0;
          return (
            <li key={s} className="status-bars__row">
              <Link className="status-bars__name" to={`${board}?status=${s}`}>
                {ACTION_STATUS_LABELS[s]}
              </Link>
              <span className="status-bars__track" aria-hidden="true">
                <span className={`status-bars__fill status-bars__fill--${s}`} style={{ width: `${String(total === 0 ? 0 : (n / total) * 100)}%` }} />
              </span>
              <span className="status-bars__value">{n}</span>
            </li>
          );
        })}
      </ul>
      <h3 className="overdue-title">
        {actions.overdue === 0 ? 'Nothing overdue' : `${String(actions.overdue)} overdue`}
      </h3>
      {actions.topOverdue.length > 0 ? (
        <ul className="overdue-list">
          {actions.topOverdue.map((a) => (
            <li key={a.id} className="overdue-list__item">
              <span className="tag tag--overdue">Overdue</span> <span className="tag">{PRIORITY_LABELS[a.priority]}</span> <ActionNumber number={a.number} /> {a.title}{' '}
              <span className="muted small">due {formatDate(a.dueDate)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {actions.overdue > 0 ? <Link to={`${board}?overdue=true`}>See every overdue action</Link> : null}
    </>
  );
}
