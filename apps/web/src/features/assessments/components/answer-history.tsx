import type { AuditEntry } from '@hoh/contracts';
import { useState } from 'react';

import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useAnswerHistory } from '../api/answer-history';

/** What an answer's audit entry says, in words a reviewer reads (the value as the questionnaire shows it). */
export function describeAnswerEntry(entry: AuditEntry): string {
  const data = entry.data as { before?: { value?: unknown } | null; after?: { value?: unknown }; comment?: unknown; fromAssessmentId?: unknown };
  const value = (v: unknown) => (v === 'not_applicable' ? 'N/A' : v === 'unknown' ? 'unknown' : typeof v === 'number' || typeof v === 'string' ? `level ${String(v)}` : '—');
  switch (entry.action) {
    case 'answer.created':
      return `Answered ${value(data.after?.value)}`;
    case 'answer.updated':
      return data.before?.value === data.after?.value ? `Edited the text (still ${value(data.after?.value)})` : `Changed ${value(data.before?.value)} → ${value(data.after?.value)}`;
    case 'answer.copied':
      return 'Carried over from the previous review';
    case 'answer.approved':
    case 'answer.returned': {
      const verb = entry.action === 'answer.approved' ? 'Approved' : 'Returned';
      return typeof data.comment === 'string' && data.comment.length > 0 ? `${verb}: “${data.comment}”` : verb;
    }
    default:
      return entry.action;
  }
}

/**
 * The answer's full history from the audit log, fetched when opened: every version and review
 * decision, who and when — what the answer's own fields (latest only) cannot show.
 */
export function AnswerHistory({ orgId, assessmentId, questionId, nameOf }: { orgId: string; assessmentId: string; questionId: string; nameOf: (id: string | null) => string }) {
  const [open, setOpen] = useState(false);
  const history = useAnswerHistory(orgId, assessmentId, questionId, open);
  return (
    <details className="review-history__full" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Full history of {questionId}</summary>
      {history.isPending && open ? <p className="muted small">Loading the history…</p> : null}
      {history.error ? <p className="small">{describeError(history.error)}</p> : null}
      {history.data ? (
        history.data.items.length === 0 ? (
          <p className="muted small">Nothing recorded yet.</p>
        ) : (
          <ol className="small">
            {history.data.items.map((entry) => (
              <li key={entry.id}>
                {describeAnswerEntry(entry)} — {nameOf(entry.actorId)}, {formatDateTime(entry.occurredAt)}
              </li>
            ))}
          </ol>
        )
      ) : null}
    </details>
  );
}
