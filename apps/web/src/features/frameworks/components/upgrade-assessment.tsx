import type { BankChangesResponse } from '@hoh/contracts';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { useAssessmentEtag, useUpgradeAssessment } from '@/features/assessments';
import { describeError } from '@/lib/api-client';

interface Props {
  orgId: string;
  changes: Pick<BankChangesResponse, 'frameworkId' | 'from' | 'to'> & { assessment: NonNullable<BankChangesResponse['assessment']> };
}

/**
 * "Upgrade to 1.2.0" for an owner or assessor, beside the comparison it acts on (docs/PRODUCT.md
 * §3.4): moves the draft or in-review assessment as the list above says, with the If-Match of the
 * assessment as read when this screen opened, and says in words why it did not.
 */
export function UpgradeAssessment({ orgId, changes }: Props) {
  const { assessment, to } = changes;
  const etag = useAssessmentEtag(orgId, assessment.id);
  const upgrade = useUpgradeAssessment(orgId, assessment.id);

  if (upgrade.data) {
    return (
      <Alert tone="success" title={`“${upgrade.data.title}” is now on ${changes.frameworkId} ${upgrade.data.framework.version}.`}>
        <p>
          Answers that carried are in place; reworded and rescaled ones wait for a fresh review.{' '}
          <Link to={`${paths.app.questionnaire.getHref()}?assessment=${assessment.id}`}>Answer the new questions</Link>
        </p>
      </Alert>
    );
  }
  return (
    <section className="bank-upgrade" aria-labelledby="bank-upgrade-title">
      <h2 id="bank-upgrade-title">
        Move “{assessment.title}” to {to}
      </h2>
      <p>Answers, comments, evidence links, targets and assignments move as listed above, in one step. Signed assessments never move.</p>
      {upgrade.error ? (
        <Alert tone="error" title={`The assessment was not moved to ${to}`}>
          {describeError(upgrade.error)}
        </Alert>
      ) : null}
      {etag.error ? (
        <Alert tone="error" title="The assessment could not be read">
          {describeError(etag.error)}
        </Alert>
      ) : null}
      <Button onClick={() => etag.data && upgrade.mutate({ to, etag: etag.data })} isLoading={upgrade.isPending} disabled={!etag.data}>
        Upgrade to {to}
      </Button>
    </section>
  );
}
