import type { DashboardResponse } from '@hoh/contracts';

import { formatDate } from '@/lib/format';

import './bank-changes.css';

type Watch = NonNullable<DashboardResponse['current']>['assessment']['framework']['watch'];

/**
 * The regulation watch for the bank the latest assessment is on (docs/PRODUCT.md §3.9): what changed
 * in the texts it follows since they were read for it, and what is pending with no duty yet.
 */
export function RegulationWatch({ watch, bank }: { watch: Watch; bank: string }) {
  return (
    <div className="regulation-watch">
      {watch.changedSince.length > 0 ? (
        <>
          <p>
            <strong>
              {watch.changedSince.length} change{watch.changedSince.length === 1 ? '' : 's'} since {bank} was checked (texts read up to{' '}
              {formatDate(watch.checkedUpTo)}):
            </strong>
          </p>
          <ul className="bank-changes__notes">
            {watch.changedSince.map((c) => (
              <li key={`${c.id}-${c.on}`}>
                {formatDate(c.on)}:{' '}
                <a href={c.url} target="_blank" rel="noopener noreferrer">
                  {c.title}
                  <span className="visually-hidden"> (opens in a new tab)</span>
                </a>
                . {c.summary}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>
          Nothing the question bank follows has changed since {bank} was checked (texts read up to {formatDate(watch.checkedUpTo)}).
        </p>
      )}
      {watch.pending.length > 0 ? (
        <>
          <p className="muted small">Watching, no duty yet:</p>
          <ul className="bank-changes__notes small">
            {watch.pending.map((p) => (
              <li key={p.id}>
                <a href={p.url} target="_blank" rel="noopener noreferrer">
                  {p.title}
                  <span className="visually-hidden"> (opens in a new tab)</span>
                </a>{' '}
                (checked {formatDate(p.lastChecked)})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="muted small">Register of {formatDate(watch.registerVersion)}.</p>
    </div>
  );
}
