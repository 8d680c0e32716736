import type { DashboardResponse } from '@hoh/contracts';

import { BandBadge } from '@/components/ui/band-badge';
import { CONFIDENCE_LABELS } from '@/config/vocabulary';
import '../dashboard.css';

type Current = NonNullable<DashboardResponse['current']>;

/** Band and score with the "why": the engine's explanation and the items capping the band. */
export function DashboardScore({ current }: { current: Current }) {
  const { confidence, progress } = current;
  return (
    <section className="card score-summary" aria-labelledby="score-title">
      <h2 id="score-title" className="visually-hidden">
        Readiness
      </h2>
      <div className="score-summary__head">
        <div>
          <p className="score-summary__label">Readiness band</p>
          <BandBadge band={current.band} size="lg" />
          {current.rawBand !== current.band ? <p className="muted small">The score alone would be {current.rawBand}; a critical control caps it.</p> : null}
        </div>
        <div>
          <p className="score-summary__label">Score</p>
          <p className="score-summary__score" data-testid="overall-score">
            {current.rounded}
            <span className="score-summary__of"> / 100</span>
          </p>
          <p className="muted small">
            {progress.answered} of {progress.applicable} questions answered
          </p>
        </div>
        <div>
          <p className="score-summary__label">Confidence</p>
          <p className="score-summary__confidence">{CONFIDENCE_LABELS[confidence.label]}</p>
          <p className="muted small">
            {Math.round(confidence.evidencePct)}% with counting evidence · {Math.round(confidence.reviewedPct)}% reviewed by someone
            else · {Math.round(confidence.unknownPct)}% unknown
          </p>
        </div>
      </div>
      <h3>Why</h3>
      {current.explanation.length > 0 ? (
        <ul className="why">
          {current.explanation.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nothing caps the band: it follows from the score.</p>
      )}
      {current.cappedBy.length > 0 ? (
        <p>
          <strong>Capped by:</strong> {current.cappedBy.join(', ')}
        </p>
      ) : null}
    </section>
  );
}
