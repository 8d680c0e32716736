import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';

import { ApiUnreachableBanner } from '@/components/errors/api-unreachable-banner';
import { PublicLayout } from '@/components/layouts/public-layout';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { useConfirmEmail } from '@/features/account/api/passkeys';
import { resetTokenFromHash } from '@/features/auth/api/password-reset';
import { describeError } from '@/lib/api-client';

/** Opened from the mailed confirmation link (docs/PRODUCT.md §2.5); works signed in or not, since the link is the proof. */
export function Component() {
  // Read once, then taken out of the address bar: the token should not linger in history or a screenshot.
  const [token] = useState(() => {
    const value = resetTokenFromHash(window.location.hash);
    if (value !== '') window.history.replaceState(window.history.state, '', window.location.pathname);
    return value;
  });
  const confirm = useConfirmEmail();
  const sent = useRef(false);
  useEffect(() => {
    // Once per page load (React's development double effects included): the link works once.
    if (sent.current || token === '') return;
    sent.current = true;
    confirm.mutate(token);
  }, [confirm, token]);

  return (
    <PublicLayout banner={<ApiUnreachableBanner />}>
      <Card className="auth-card" aria-labelledby="confirm-title">
        <h1 id="confirm-title">Confirm your email address</h1>
        {token === '' ? (
          <Alert tone="error" title="This confirmation link does not work">
            The link is incomplete. Open it again from the email, or sign in and send a new one from the banner.
          </Alert>
        ) : null}
        {confirm.isPending ? <Spinner label="Confirming your address…" /> : null}
        {confirm.data ? (
          <Alert tone="success" title="Your email address is confirmed">
            {confirm.data.message}
          </Alert>
        ) : null}
        {confirm.error ? (
          <Alert tone="error" title="This confirmation link does not work">
            {describeError(confirm.error)}
          </Alert>
        ) : null}
        <Link className="btn btn--primary btn--block" to={paths.app.overview.getHref()}>
          Continue to Hand on Heart
        </Link>
      </Card>
    </PublicLayout>
  );
}
