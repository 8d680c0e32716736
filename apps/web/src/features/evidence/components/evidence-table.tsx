import type { EvidenceResponse } from '@hoh/contracts';

import { Button } from '../../../components/ui/button';
import { formatDate } from '../../../lib/format';

const STATUS_TEXT = { pending: 'Pending review', accepted: 'Accepted', rejected: 'Rejected' } as const;

/** The library: status and expiry written out; review buttons only for those who may review. */
export function EvidenceTable({
  items,
  onReview,
}: {
  items: readonly EvidenceResponse[];
  onReview?: ((item: EvidenceResponse, decision: 'accept' | 'reject') => void) | undefined;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Evidence library</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Kind</th>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col">Expires</th>
            <th scope="col">Linked to</th>
            {onReview ? (
              <th scope="col">
                <span className="visually-hidden">Review</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td>
                {e.title}
                <span className="muted small block">by {e.uploadedBy.name}</span>
              </td>
              <td>{e.kind.replace(/_/g, ' ')}</td>
              <td className="break">
                {e.source === 'external' ? (
                  /^https?:\/\//i.test(e.externalRef ?? '') ? (
                    <a href={e.externalRef ?? undefined} rel="noreferrer noopener" target="_blank">
                      {e.externalRef}
                    </a>
                  ) : (
                    <code>{e.externalRef}</code>
                  )
                ) : (
                  <>
                    {e.fileName}
                    {e.sha256 ? <span className="muted small block">SHA-256 {e.sha256.slice(0, 16)}…</span> : null}
                  </>
                )}
              </td>
              <td>
                <span className={`tag tag--evidence-${e.status}`}>{STATUS_TEXT[e.status]}</span>
                {e.counts ? <span className="small block">Counts towards the score</span> : null}
                {e.reviewReason ? <span className="small block">Reason: {e.reviewReason}</span> : null}
              </td>
              <td>
                {e.expired ? <span className="tag tag--overdue">Expired</span> : null} {formatDate(e.expiresAt)}
                {e.expiryExplicit ? null : <span className="muted small block">issue + 12 months</span>}
              </td>
              <td>{e.linkedAnswers.length === 0 ? <span className="muted">Not linked</span> : e.linkedAnswers.map((l) => l.questionId).join(', ')}</td>
              {onReview ? (
                <td className="table__actions">
                  {e.status !== 'accepted' ? (
                    <Button variant="secondary" className="btn--small" onClick={() => onReview(e, 'accept')} aria-label={`Accept ${e.title}`}>
                      Accept
                    </Button>
                  ) : null}
                  {e.status !== 'rejected' ? (
                    <Button variant="ghost" className="btn--small" onClick={() => onReview(e, 'reject')} aria-label={`Reject ${e.title}`}>
                      Reject…
                    </Button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
