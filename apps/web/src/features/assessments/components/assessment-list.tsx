import type { AssessmentSummary } from '@hoh/contracts';

import { BandBadge } from '../../../components/ui/band-badge';
import { Button } from '../../../components/ui/button';
import { CONFIDENCE_LABELS, STATUS_LABELS } from '../../../config/vocabulary';

export interface AssessmentListProps {
  items: readonly AssessmentSummary[];
  currentId: string | undefined;
  onOpen: (id: string) => void;
}

export function AssessmentList({ items, currentId, onOpen }: AssessmentListProps) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Assessments, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Assessment</th>
            <th scope="col">Status</th>
            <th scope="col">Score</th>
            <th scope="col">Band</th>
            <th scope="col">Confidence</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id} aria-current={a.id === currentId ? 'true' : undefined} className={a.id === currentId ? 'is-current' : undefined}>
              <th scope="row">
                {a.title}
                <span className="muted small block">Started {new Date(a.createdAt).toLocaleDateString()}</span>
              </th>
              <td>{STATUS_LABELS[a.status]}</td>
              <td>{a.score}</td>
              <td>
                <BandBadge band={a.band} />
              </td>
              <td>{CONFIDENCE_LABELS[a.confidence]}</td>
              <td className="table__actions">
                {a.id === currentId ? (
                  <span className="muted small">Shown above</span>
                ) : (
                  <Button variant="ghost" onClick={() => onOpen(a.id)} aria-label={`Open ${a.title}`}>
                    Open
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
