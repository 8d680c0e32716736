import type { DashboardResponse } from '@hoh/contracts';
import { useId } from 'react';
import { Link, useNavigate } from 'react-router';

import { BAND_TEXT } from '@/components/ui/band-badge';
import { paths } from '@/config/paths';
import { formatDate } from '@/lib/format';

import { ChangeText } from './change-text';

import './trend.css';
import '../dashboard.css';

type Point = DashboardResponse['trend'][number];

const W = 560;
const H = 200;
const PAD = { left: 36, right: 16, top: 12, bottom: 28 };

/** Where a trend point leads: that assessment's review and sign-off screen (its status, signature and answers). */
export const trendHref = (assessmentId: string): string => `${paths.app.review.getHref()}?assessment=${assessmentId}`;

/**
 * Score over time as an SVG line with the band thresholds drawn in; the same figures follow in a
 * table, which is the chart's text alternative (and what a screen reader reads instead).
 */
export function TrendChart({ points }: { points: readonly Point[] }) {
  const descId = useId();
  const navigate = useNavigate();
  if (points.length === 0) {
    return <p className="muted">No scored assessment yet: the trend starts with your first score.</p>;
  }
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (score: number) => PAD.top + innerH - (Math.max(0, Math.min(100, score)) / 100) * innerH;
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.score).toFixed(1)}`).join(' ');
  const first = points[0];
  const last = points[points.length - 1];
  const summary =
    first && last && points.length > 1
      ? `Score went from ${String(Math.round(first.score))} (${first.title}) to ${String(Math.round(last.score))} (${last.title}).`
      : last
        ? `One scored assessment so far: ${String(Math.round(last.score))}, ${BAND_TEXT[last.band].name}.`
        : '';

  return (
    <figure className="trend">
      <svg className="trend__svg" viewBox={`0 0 ${String(W)} ${String(H)}`} role="img" aria-label={`Score trend. ${summary}`} aria-describedby={descId}>
        {[0, 50, 75, 100].map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className={t === 50 || t === 75 ? 'trend__threshold' : 'trend__grid'} />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="trend__axis">
              {t}
            </text>
          </g>
        ))}
        <path d={line} className="trend__line" fill="none" />
        {/* A new bank version between two points: a vertical marker, so the step is not read as the organisation's doing. */}
        {points.map((p, i) =>
          p.bankChange && i > 0 ? (
            <g key={`bank-${p.assessmentId}`} className="trend__bank-change">
              <line x1={(x(i - 1) + x(i)) / 2} x2={(x(i - 1) + x(i)) / 2} y1={PAD.top} y2={H - PAD.bottom} />
              <text x={(x(i - 1) + x(i)) / 2 + 3} y={PAD.top + 10} className="trend__axis">
                {`bank ${p.bankChange.to}`}
              </text>
            </g>
          ) : null,
        )}
        {points.map((p, i) => (
          <g key={p.assessmentId}>
            {/* A click on a point opens its assessment; the table's links below do the same for keyboards
                and screen readers (a link inside this image would be nested in its img role). */}
            <circle
              cx={x(i)}
              cy={y(p.score)}
              r="6"
              className={`trend__dot trend__dot--${p.band} trend__dot--link`}
              onClick={() => void navigate(trendHref(p.assessmentId))}
            >
              <title>{`${p.title} (${p.label}): ${String(Math.round(p.score))}`}</title>
            </circle>
            <text x={x(i)} y={H - 8} textAnchor="middle" className="trend__axis">
              {p.label}
            </text>
          </g>
        ))}
      </svg>
      <figcaption id={descId} className="muted small">
        {summary} Dashed lines mark the Amber (50) and Green (75) thresholds.
        {points.some((p) => p.bankChange) ? ' A vertical line marks a new question-bank version: a change across it comes partly from the bank, not only from your controls.' : ''}
      </figcaption>
      <div className="table-wrap">
        <table className="table table--dense">
          <caption className="visually-hidden">Score trend, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Assessment</th>
              <th scope="col">Period</th>
              <th scope="col">Status</th>
              <th scope="col">Date</th>
              <th scope="col">Score</th>
              <th scope="col">Band</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.assessmentId}>
                <th scope="row">
                  <Link to={trendHref(p.assessmentId)}>{p.title}</Link>
                </th>
                <td>{p.period.label}</td>
                <td>{p.status === 'signed' ? 'Signed' : p.status === 'in_review' ? 'In review (live)' : 'Draft (live)'}</td>
                <td>{formatDate(p.signedAt ?? p.createdAt)}</td>
                <td>{Math.round(p.score)}</td>
                <td>{BAND_TEXT[p.band].name}</td>
                <td>
                  {p.change ? <ChangeText change={p.change} /> : '—'}
                  {p.bankChange ? (
                    <span className="trend__bank-note small">
                      {' '}
                      (bank {p.bankChange.from} → {p.bankChange.to}: not only your controls)
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
