import { Link } from 'react-router';

import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/config/paths';
import { useMe } from '@/features/auth/api/get-me';
import { ChangePasswordForm } from '@/features/account/components/change-password-form';
import { PasskeysSection } from '@/features/account/components/passkeys-section';
import { SessionsList } from '@/features/account/components/sessions-list';
import { TwoFactorSection } from '@/features/account/components/two-factor-section';

export function Component() {
  const me = useMe();
  return (
    <>
      <PageHeader title="Your account" lead={me.data ? `Signed in as ${me.data.user.name} (${me.data.user.email}).` : 'Your password and where you are signed in.'} />
      <Card aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <ChangePasswordForm />
      </Card>
      <section className="section-gap" aria-labelledby="two-factor-title">
        <h2 id="two-factor-title">Two-factor authentication</h2>
        <p className="muted">A code from an authenticator app on your phone, asked for after your password. An organisation can require it.</p>
        <TwoFactorSection />
      </section>
      <section className="section-gap" aria-labelledby="passkeys-title">
        <h2 id="passkeys-title">Passkeys</h2>
        <p className="muted">A passkey on this device or a security key, asked for after your password when you sign in and when you sign off an assessment.</p>
        <PasskeysSection />
      </section>
      <section className="section-gap" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Where you are signed in</h2>
        <p className="muted">Each browser or device signed in as you. Do not recognise one? End it, then change your password.</p>
        <SessionsList />
      </section>
      <p className="section-gap">
        Scripts use <Link to={paths.app.apiTokens.getHref()}>API tokens</Link> instead of a session.
      </p>
    </>
  );
}
