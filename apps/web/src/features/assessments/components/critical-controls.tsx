import type { ScoreResponse } from '@hoh/contracts';

const levelText = (n: number | null): string => (n === null ? '—' : String(n));

/** Critical items with their effective level, target and gap; any at ≤ 1 forces Red, at 2 caps Amber. */
export function CriticalControls({ items, questionText }: { items: ScoreResponse['items']; questionText: (id: string) => string | undefined }) {
  const critical = items.filter((i) => i.critical && i.status !== 'excluded_by_profile');
  if (critical.length === 0) {
    return <p className="muted">No critical controls apply to your profile.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Critical controls: level, target and gap</caption>
        <thead>
          <tr>
            <th scope="col">Control</th>
            <th scope="col">Counts as</th>
            <th scope="col">Target</th>
            <th scope="col">Gap</th>
            <th scope="col">Effect</th>
          </tr>
        </thead>
        <tbody>
          {critical.map((i) => {
            const level = i.effectiveLevel;
            const effect =
              i.status === 'not_applicable'
                ? 'Not applicable (approved)'
                : level === null || level <= 1
                  ? 'Forces Red'
                  : level === 2
                    ? 'Caps at Amber'
                    : 'OK';
            return (
              <tr key={i.questionId}>
                <th scope="row">
                  <span className="qid">{i.questionId}</span> {questionText(i.questionId)}
                </th>
                <td>{i.status === 'unanswered' ? 'Unanswered (0)' : i.status === 'unknown' ? 'Unknown (0)' : levelText(level)}</td>
                <td>{i.target}</td>
                <td>{i.gap > 0 ? i.gap : '—'}</td>
                <td>{effect === 'OK' ? <span className="tag tag--yes">OK</span> : <span className="tag tag--critical">{effect}</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
