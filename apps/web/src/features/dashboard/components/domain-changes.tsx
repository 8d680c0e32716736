import type { ComparisonResponse } from '@hoh/contracts';
import { Link } from 'react-router';

import { ChangeText } from './change-text';
import { trendHref } from './trend-chart';

const points = (n: number | null): string => (n === null ? '—' : String(Math.round(n)));

/**
 * Each domain against the assessment this one follows, as the engine compared them (the dashboard's
 * `comparison`): before, now and the labelled change. A drop caused only by reviews that start over
 * (a carried-over N/A awaiting approval again) says so and names the questions, so nobody reads it
 * as controls getting worse.
 */
export function DomainChanges({ comparison }: { comparison: ComparisonResponse }) {
  const { previous } = comparison;
  const resets = comparison.overall.reviewResetQuestionIds;
  return (
    <div className="domain-changes">
      <p className="muted">
        Against <Link to={trendHref(previous.id)}>{previous.title}</Link> ({previous.period.label}). Overall: <ChangeText change={comparison.overall} />.
        {!comparison.sameBank ? ' The two use different question-bank versions, so domains are not compared.' : ''}
      </p>
      {resets.length > 0 ? (
        <p className="muted small">
          Reviews start over each year: {resets.join(', ')} {resets.length === 1 ? 'is an N/A' : 'are N/As'} awaiting approval again, which lowers the score until a reviewer
          approves {resets.length === 1 ? 'it' : 'them'}. That is not a change in your controls.
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table table--dense">
          <caption className="visually-hidden">Domain changes since {previous.title}</caption>
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col">{previous.period.label}</th>
              <th scope="col">Now</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {comparison.domains.map((d) => (
              <tr key={d.domainId}>
                <th scope="row">
                  {d.domainId} {d.title}
                </th>
                <td>{points(d.before)}</td>
                <td>{points(d.after)}</td>
                <td>
                  <ChangeText change={d} />
                  {d.direction === 'review_reset' ? <span className="muted small"> — {d.reviewResetQuestionIds.join(', ')}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
