import { Link } from 'react-router';

import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/config/paths';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { PlaybookLinks } from '@/features/drills/components/first-hour-steps';

/**
 * Reached from the found-suspected-material page (docs/PRODUCT.md §15.7): the signed-in member's
 * organisation's own playbook and its last drill record, beside the public first-hour steps.
 */
export function Component() {
  const { membership } = useCurrentMembership();
  return (
    <>
      <PageHeader
        title="Your playbook"
        lead="Found suspected material? Do not open, copy or forward it. Follow your organisation's playbook and the first-hour steps."
      />
      <Card aria-label="Playbook and last drill">
        <h2>{membership.organisationName}</h2>
        <PlaybookLinks membership={membership} />
      </Card>
      <p>
        <Link to={paths.foundSuspectedMaterial.getHref()}>What to do now</Link> · <Link to={paths.firstHour.getHref()}>The first hour, step by step</Link>
      </p>
    </>
  );
}
