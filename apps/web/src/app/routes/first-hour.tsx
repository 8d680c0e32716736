import { Link } from 'react-router';

import { PublicLayout } from '@/components/layouts/public-layout';
import { paths } from '@/config/paths';
import { FirstHourSteps } from '@/features/drills/components/first-hour-steps';

/**
 * Public, no sign-in (docs/PRODUCT.md §15.7): the first hour after suspected material turns up, step
 * by step for each setting the drill library rehearses. Linked from the found-suspected-material
 * page, which stays free of API calls; this page asks the API only for the library's public words.
 */
export function Component() {
  return (
    <PublicLayout width="wide">
      <article className="guidance" aria-labelledby="first-hour-title">
        <header className="guidance__header">
          <h1 id="first-hour-title">The first hour, step by step</h1>
          <p className="guidance__lead">
            What to do first, by where the material turned up. These are the steps the incident drills rehearse. They apply to any
            organisation; your own playbook comes first where it says more.
          </p>
        </header>
        <FirstHourSteps />
        <p className="guidance__back">
          <Link to={paths.foundSuspectedMaterial.getHref()}>Back to what to do now</Link> ·{' '}
          <Link to={paths.app.drillPlaybook.getHref()}>Your organisation&apos;s playbook and last drill (sign in)</Link>
        </p>
      </article>
    </PublicLayout>
  );
}
