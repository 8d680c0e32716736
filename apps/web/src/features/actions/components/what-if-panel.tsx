import { Alert } from '@/components/ui/alert';
import { BandBadge } from '@/components/ui/band-badge';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { describeError } from '@/lib/api-client';
import { useWhatIf } from '../api/what-if';
import '../actions.css';

const signed = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(1)}`;

/** Projected score and band if the selected actions were done, with the engine's explanation. */
export function WhatIfPanel({
  orgId,
  assessmentId,
  actionIds,
  domainTitle,
  onClear,
}: {
  orgId: string;
  assessmentId: string | undefined;
  actionIds: readonly string[];
  domainTitle: (id: string) => string;
  onClear: () => void;
}) {
  const whatIf = useWhatIf(orgId, assessmentId, actionIds);
  return (
    <section className="card what-if" aria-labelledby="what-if-title" aria-live="polite">
      <h2 id="what-if-title">What if…</h2>
      {actionIds.length === 0 ? (
        <p className="muted">Tick actions on the board to see the score and band you would reach if they were done.</p>
      ) : (
        <>
          <p>
            {actionIds.length} {actionIds.length === 1 ? 'action' : 'actions'} selected.{' '}
            <Button variant="ghost" className="btn--small" onClick={onClear}>
              Clear selection
            </Button>
          </p>
          {assessmentId === undefined ? <p className="muted">Start an assessment first: the projection is from its current score.</p> : null}
          {whatIf.isPending && assessmentId !== undefined ? <Spinner label="Projecting…" /> : null}
          {whatIf.error ? (
            <Alert tone="error" title="Could not project the score">
              {describeError(whatIf.error)}
            </Alert>
          ) : null}
          {whatIf.data ? (
            <div data-testid="what-if-result">
              <p className="what-if__scores">
                <span>
                  Score <strong>{Math.round(whatIf.data.overall.before)}</strong> → <strong>{Math.round(whatIf.data.overall.after)}</strong> ({signed(whatIf.data.overall.delta)})
                </span>
              </p>
              <p className="what-if__bands">
                <BandBadge band={whatIf.data.band.before} /> <span aria-hidden="true">→</span>
                <span className="visually-hidden">becomes</span> <BandBadge band={whatIf.data.band.after} />
              </p>
              {whatIf.data.explanation.length > 0 ? (
                <ul className="why">
                  {whatIf.data.explanation.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              ) : null}
              <details>
                <summary>By domain</summary>
                <ul>
                  {Object.entries(whatIf.data.domains)
                    .filter(([, d]) => d.delta !== 0)
                    .map(([id, d]) => (
                      <li key={id}>
                        {domainTitle(id)}: {d.before === null ? '—' : Math.round(d.before)} → {d.after === null ? '—' : Math.round(d.after)} ({signed(d.delta)})
                      </li>
                    ))}
                </ul>
              </details>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
