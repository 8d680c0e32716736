import type { Membership } from '@hoh/contracts';
import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { drillRecordHref, playbookHref, useDrillFirstHour, useDrillPlaybook } from '../api/drills';
import { settingWords } from './start-drill-form';

/**
 * Each scenario's organisation-neutral first-hour steps (docs/PRODUCT.md §15.7), from the public
 * route: no sign-in, library words only.
 */
export function FirstHourSteps() {
  const steps = useDrillFirstHour();
  if (steps.error) return <p>The step-by-step lists could not be loaded just now. The steps on the found-suspected-material page still apply: follow them.</p>;
  if (!steps.data) return <p className="muted">Loading the steps…</p>;
  return (
    <>
      {steps.data.scenarios.map((s) => (
        <section key={s.id} className="guidance__card" aria-labelledby={`first-hour-${s.id}`}>
          <h2 id={`first-hour-${s.id}`}>
            {s.title} <span className="muted">({settingWords(s.setting)})</span>
          </h2>
          <p className="muted">{s.summary}</p>
          <ol className="guidance__list">
            {s.firstHour.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
        </section>
      ))}
    </>
  );
}

/** A signed-in member's own playbook (the newest accepted ENT-04 evidence) and last drill record (§15.7). */
export function PlaybookLinks({ membership }: { membership: Pick<Membership, 'organisationId' | 'organisationName'> }) {
  const orgId = membership.organisationId;
  const playbook = useDrillPlaybook(orgId);
  const data = playbook.data;
  if (!data) return <p className="muted">{playbook.error ? 'Your playbook could not be loaded just now; reload the page.' : 'Loading your playbook…'}</p>;
  return (
    <ul className="guidance__list" aria-label={`${membership.organisationName}'s playbook and last drill`}>
      <li>
        {data.playbook ? (
          <>
            Your playbook: <a href={playbookHref(orgId, data.playbook.evidenceId)}>{data.playbook.title}</a>
          </>
        ) : (
          <>No accepted playbook is linked to {data.questionId} yet: follow the public steps, tell your incident lead, and add your playbook as evidence on {data.questionId}.</>
        )}
      </li>
      <li>
        {data.lastDrill ? (
          <>
            Your last drill: <Link to={paths.app.drill.getHref(data.lastDrill.drillId)}>{data.lastDrill.title}</Link>
            {data.lastDrill.evidenceId ? (
              <>
                {' '}
                (<a href={drillRecordHref(orgId, data.lastDrill.evidenceId)}>drill record</a>)
              </>
            ) : null}
          </>
        ) : (
          <>
            No drill finished yet: <Link to={paths.app.drills.getHref()}>rehearse one</Link>.
          </>
        )}
      </li>
    </ul>
  );
}
