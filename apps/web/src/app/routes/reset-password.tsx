import { useState } from 'react';

import { ApiUnreachableBanner } from '@/components/errors/api-unreachable-banner';
import { PublicLayout } from '@/components/layouts/public-layout';
import { Card } from '@/components/ui/card';
import { resetTokenFromHash } from '@/features/auth/api/password-reset';
import { ResetPasswordForm } from '@/features/auth/components/reset-password-form';

export function Component() {
  // Read once, then taken out of the address bar: the token should not linger in history or a screenshot.
  const [token] = useState(() => {
    const value = resetTokenFromHash(window.location.hash);
    if (value !== '') window.history.replaceState(window.history.state, '', window.location.pathname);
    return value;
  });
  return (
    <PublicLayout banner={<ApiUnreachableBanner />}>
      <Card className="auth-card" aria-labelledby="reset-title">
        <h1 id="reset-title">Choose a new password</h1>
        <p className="auth-card__lead">Setting it signs your account out everywhere, this browser included.</p>
        <ResetPasswordForm token={token} />
      </Card>
    </PublicLayout>
  );
}
