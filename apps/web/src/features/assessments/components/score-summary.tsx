import type { ScoreResponse } from '@hoh/contracts';

import { BandBadge } from '../../../components/ui/band-badge';
import { CONFIDENCE_LABELS } from '../../../config/vocabulary';

/** Band and score with the "why": the engine's explanation lines and the items that cap the band. */
export function ScoreSummary({ score }: { score: ScoreResponse }) {
  const { overall, confidence } = score;
  return (
    <section className="card score-summary" aria-labelledby="score-title">
      <h2 id="score-title" className="visually-hidden">
        Readiness
      </h2>
      <div className="score-summary__head">
        <div>
          <p className="score-summary__label">Readiness band</p>
          <BandBadge band={overall.band} size="lg" />
        </div>
        <div>
          <p className="score-summary__label">Score</p>
          <p className="score-summary__score" data-testid="overall-score">
            {overall.rounded}
            <span className="score-summary__of"> / 100</span>
          </p>
        </div>
        <div>
          <p className="score-summary__label">Confidence</p>
          <p className="score-summary__confidence">{CONFIDENCE_LABELS[confidence.label]}</p>
          <p className="muted small">
            {Math.round(confidence.evidencePct)}% with counting evidence · {Math.round(confidence.reviewedPct)}% reviewed by
            someone else · {Math.round(confidence.unknownPct)}% unknown
          </p>
        </div>
      </div>
      <h3>Why</h3>
      {score.explanation.length > 0 ? (
        <ul className="why">
          {score.explanation.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nothing caps the band: it follows from the score.</p>
      )}
      {overall.cappedBy.length > 0 ? (
        <p>
          <strong>Capped by:</strong> {overall.cappedBy.join(', ')}
        </p>
      ) : null}
    </section>
  );
}
