import type { DashboardResponse } from '@hoh/contracts';

import { CAP_REASON_TEXT } from '@/config/vocabulary';

type Current = NonNullable<DashboardResponse['current']>;

const effectOf = (level: number | null): string => (level === null || level <= 1 ? 'Forces Red' : level === 2 ? 'Caps at Amber' : 'OK');

/** Critical controls: level, target, gap and their effect on the band. */
export function DashboardCritical({ current }: { current: Current }) {
  const titleOf = (domainId: string) => current.domains.find((d) => d.domainId === domainId)?.title ?? domainId;
  if (current.criticalControls.length === 0) {
    return <p className="muted">No critical controls apply to your profile.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Critical controls: level, target, gap and effect on the band</caption>
        <thead>
          <tr>
            <th scope="col">Control</th>
            <th scope="col">Claimed</th>
            <th scope="col">Counts as</th>
            <th scope="col">Target</th>
            <th scope="col">Gap</th>
            <th scope="col">Effect</th>
          </tr>
        </thead>
        <tbody>
          {current.criticalControls.map((c) => {
            const effect = effectOf(c.effectiveLevel);
            const reason = CAP_REASON_TEXT[c.capReason as keyof typeof CAP_REASON_TEXT] ?? c.capReason;
            return (
              <tr key={c.questionId}>
                <th scope="row">
                  <span className="qid">{c.questionId}</span> <span className="muted small">{titleOf(c.domainId)}</span>
                </th>
                <td>{c.claimed ?? '—'}</td>
                <td>
                  {c.effectiveLevel ?? 'Unanswered (0)'}
                  {reason ? <span className="muted small"> ({reason})</span> : null}
                </td>
                <td>{c.target}</td>
                <td>{c.gap > 0 ? c.gap : '—'}</td>
                <td>{effect === 'OK' ? <span className="tag tag--yes">OK</span> : <span className="tag tag--critical">{effect}</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
