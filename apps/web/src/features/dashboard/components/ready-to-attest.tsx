import type { DashboardResponse } from '@hoh/contracts';
import { Link } from 'react-router';

import { paths } from '@/config/paths';

type Current = NonNullable<DashboardResponse['current']>;

/** "Ready to attest?": yes, or how many exceptions the hand-on-heart check lists, with the way to them. */
export function ReadyToAttest({ current }: { current: Current }) {
  const review = `${paths.app.review.getHref()}?assessment=${current.assessment.id}`;
  if (current.assessment.status === 'signed') {
    return (
      <p>
        <strong>Signed off</strong> on {new Date(current.assessment.signedAt ?? current.assessment.createdAt).toLocaleDateString()}: the assessment is locked.{' '}
        <Link to={review}>See the attestation</Link>
      </p>
    );
  }
  const { ready, exceptionCount } = current.readyToAttest;
  return ready ? (
    <p>
      <strong>Yes</strong>: the hand-on-heart check finds no exceptions. <Link to={review}>Go to review &amp; sign-off</Link>
    </p>
  ) : (
    <p>
      <strong>Not yet</strong>: {exceptionCount} {exceptionCount === 1 ? 'exception' : 'exceptions'} to resolve or acknowledge before
      signing. <Link to={review}>See them in review &amp; sign-off</Link>
    </p>
  );
}
