import type { ScoreResponse } from '@hoh/contracts';

import { BAND_TEXT } from '@/components/ui/band-badge';
import '../assessments.css';

/**
 * Domain scores as horizontal SVG bars, each with its value and band written beside it, so the
 * chart reads in greyscale and the text alternative is the chart itself.
 */
type DomainRow = Pick<ScoreResponse['domains'][number], 'domainId' | 'title' | 'score' | 'rounded' | 'band'> & { achievedLevel: number | null };

export function DomainChart({ domains }: { domains: readonly DomainRow[] }) {
  return (
    <figure className="domain-chart">
      <figcaption className="domain-chart__title">Score by domain (0–100, higher is better)</figcaption>
      <ul className="domain-chart__rows">
        {domains.map((d) => (
          <li key={d.domainId} className="domain-chart__row">
            <span className="domain-chart__name">{d.title}</span>
            <svg className="domain-chart__svg" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
              <rect x="0" y="0" width="100" height="10" className="domain-chart__track" />
              <rect x="0" y="0" width={d.score ?? 0} height="10" className={`domain-chart__bar domain-chart__bar--${d.band ?? 'none'}`} />
              {/* Ticks at the band thresholds (50 amber, 75 green). */}
              <line x1="50" x2="50" y1="0" y2="10" className="domain-chart__tick" />
              <line x1="75" x2="75" y1="0" y2="10" className="domain-chart__tick" />
            </svg>
            <span className="domain-chart__value">
              {d.rounded === null ? 'No applicable questions' : `${String(d.rounded)} · ${d.band ? BAND_TEXT[d.band].name : ''}`}
              {d.achievedLevel !== null && d.achievedLevel > 0 ? <span className="muted"> · all at level {d.achievedLevel}+</span> : null}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
