import type { ExposureResponse } from '@hoh/contracts';
import type { Regime } from '@hoh/question-bank';
import { useId, useState } from 'react';

import { REGIME_LABELS } from '../../../config/vocabulary';

type Entry = ExposureResponse['items'][number];

/** Regime × measure: whether each applies to the organisation and why, grouped by regime. */
export function ExposureMap({ exposure }: { exposure: ExposureResponse }) {
  const [showAll, setShowAll] = useState(false);
  const toggleId = useId();
  const applies = exposure.items.filter((i) => i.applies).length;
  const regimes = new Map<Regime, Entry[]>();
  for (const item of exposure.items) {
    regimes.set(item.regime, [...(regimes.get(item.regime) ?? []), item]);
  }
  return (
    <section className="card" aria-labelledby="exposure-title">
      <h2 id="exposure-title">Regulatory exposure map</h2>
      <p>
        <strong>
          {applies} of {exposure.items.length} measures apply to you
        </strong>{' '}
        across {[...regimes.values()].filter((items) => items.some((i) => i.applies)).length} regimes.
      </p>
      <p className="muted small">
        References marked “Unverified reference” have not yet been checked against the primary text: treat them as pointers, not citations.
      </p>
      <label className="choice" htmlFor={toggleId}>
        <input id={toggleId} type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
        <span>Also show the measures that do not apply</span>
      </label>
      {[...regimes.entries()].map(([regime, items]) => {
        const shown = showAll ? items : items.filter((i) => i.applies);
        const count = items.filter((i) => i.applies).length;
        return (
          <div key={regime} className="exposure-regime">
            <h3 className="exposure-regime__title">
              {REGIME_LABELS[regime]} <span className="muted small">— {count} of {items.length} apply</span>
            </h3>
            {shown.length === 0 ? null : (
              <div className="table-wrap">
                <table className="table table--dense">
                  <caption className="visually-hidden">{REGIME_LABELS[regime]}: measures, whether each applies, and why</caption>
                  <thead>
                    <tr>
                      <th scope="col">Measure</th>
                      <th scope="col">Applies?</th>
                      <th scope="col">Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((item) => (
                      <tr key={`${item.regime}|${item.id}`} className={item.applies ? undefined : 'is-muted'}>
                        <td>
                          <strong>{item.id}</strong> {item.title}
                          {item.verified ? null : <span className="tag tag--unverified">Unverified reference</span>}
                        </td>
                        <td>{item.applies ? <span className="tag tag--yes">Applies</span> : <span className="tag">Does not apply</span>}</td>
                        <td>{item.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        );
      })}
    </section>
  );
}
