import type { EvidenceResponse } from '@hoh/contracts';

import { EvidenceSummary } from './evidence-summary';

/**
 * The library: each item's summary (name, kind, SHA-256, expiry, state, how to open it) and what it
 * is linked to. Review controls appear only where the server would accept them (EvidenceSummary).
 */
export function EvidenceTable({
  items,
  onReview,
  reviewingId,
}: {
  items: readonly EvidenceResponse[];
  onReview?: ((item: EvidenceResponse, decision: 'accept' | 'reject') => void) | undefined;
  /** The item whose review is in flight. */
  reviewingId?: string | null | undefined;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Evidence library</caption>
        <thead>
          <tr>
            <th scope="col">Evidence</th>
            <th scope="col">Linked to</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id}>
              <td>
                <EvidenceSummary evidence={e} onReview={onReview} reviewing={reviewingId === e.id} />
              </td>
              <td>{e.linkedAnswers.length === 0 ? <span className="muted">Not linked</span> : e.linkedAnswers.map((l) => l.questionId).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
