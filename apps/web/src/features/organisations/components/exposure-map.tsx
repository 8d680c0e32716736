import type { ExposureResponse } from '@hoh/contracts';
import type { Regime } from '@hoh/question-bank';
import { useId, useState } from 'react';

import { REGIME_LABELS } from '@/config/vocabulary';
import '../organisations.css';

type Entry = ExposureResponse['items'][number];
type State = NonNullable<Entry['state']>;

// Bank 1.1.0's maps say where each measure stands; 1.0.0's only say applies or not.
const STATE_TAGS: Record<State, { label: string; className: string }> = {
  applies: { label: 'Applies', className: 'tag tag--yes' },
  voluntary: { label: 'Voluntary', className: 'tag' },
  condition_not_met: { label: 'Condition not met', className: 'tag' },
  not_in_force: { label: 'Not in force', className: 'tag' },
  elsewhere: { label: 'Another jurisdiction', className: 'tag' },
};

/** Binding and applicable: voluntary principles that are relevant are counted apart. */
const binds = (i: Entry): boolean => i.applies && i.state !== 'voluntary';

const CHECK_LABELS = { primary: 'Read in the primary text', secondary: 'Secondary source only', unchecked: 'Not checked' } as const;

function CheckNote({ item }: { item: Entry }) {
  if (item.check === undefined) {
    return item.verified ? null : <span className="tag tag--unverified">Unverified reference</span>;
  }
  const { state, note, source, sourceUrl } = item.check;
  return (
    <>
      <span className={state === 'primary' ? 'tag tag--yes' : 'tag tag--unverified'}>{CHECK_LABELS[state]}</span>
      <span className="muted small exposure-check">
        {' '}
        {note}
        {source ? ` Source: ${source}.` : ''}{' '}
        {sourceUrl ? (
          <a href={sourceUrl} target="_blank" rel="noreferrer noopener">
            Open the text
          </a>
        ) : null}
      </span>
    </>
  );
}

/** Regime × measure: whether each applies to the organisation and why, grouped by regime. */
export function ExposureMap({ exposure }: { exposure: ExposureResponse }) {
  const [showAll, setShowAll] = useState(false);
  const toggleId = useId();
  const applies = exposure.items.filter(binds).length;
  const voluntary = exposure.items.filter((i) => i.applies && i.state === 'voluntary').length;
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
        across {[...regimes.values()].filter((items) => items.some(binds)).length} regimes
        {voluntary > 0 ? `, and ${voluntary} voluntary principles are relevant` : ''}.
      </p>
      <p className="muted small">
        Each reference says how it was checked: read in the primary text, quoted by a secondary source only, or not checked. Only the
        first can be cited to a regulator as it stands; for the others, do what the note says first.
      </p>
      <label className="choice" htmlFor={toggleId}>
        <input id={toggleId} type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
        <span>Also show the measures that do not apply</span>
      </label>
      {[...regimes.entries()].map(([regime, items]) => {
        const shown = showAll ? items : items.filter((i) => i.applies);
        const count = items.filter(binds).length;
        const relevant = items.filter((i) => i.applies && i.state === 'voluntary').length;
        return (
          <div key={regime} className="exposure-regime">
            <h3 className="exposure-regime__title">
              {REGIME_LABELS[regime]}{' '}
              <span className="muted small">
                — {relevant > 0 && count === 0 ? `${relevant} of ${items.length} relevant (voluntary)` : `${count} of ${items.length} apply`}
              </span>
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
                          <strong>{item.id}</strong> {item.title} <CheckNote item={item} />
                        </td>
                        <td>
                          {item.state ? (
                            <span className={STATE_TAGS[item.state].className}>{STATE_TAGS[item.state].label}</span>
                          ) : item.applies ? (
                            <span className="tag tag--yes">Applies</span>
                          ) : (
                            <span className="tag">Does not apply</span>
                          )}
                        </td>
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
