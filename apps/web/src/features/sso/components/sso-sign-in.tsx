import { SSO_ERROR_CODES, SsoStartRequestSchema } from '@hoh/contracts';
import type { SsoErrorCode } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormStatus } from '@/components/ui/form-status';
import { TextField } from '@/components/ui/text-field';
import { useContractForm } from '@/lib/use-contract-form';
import { useStartSso } from '../api/sso';

const FIELDS = ['email'] as const;

/** What each `?sso_error=` the server sends back means, and what to do (docs/PRODUCT.md §2.6). */
export const SSO_ERROR_MESSAGES: Record<SsoErrorCode, string> = {
  expired: 'That single sign-on took too long or was opened in another browser. Start it again here.',
  provider: 'Your identity provider did not sign you in (it may have been cancelled). Try again, or sign in with your password.',
  invalid: 'Your identity provider’s answer could not be trusted, so you were not signed in. Try again; if it keeps happening, tell your organisation’s owner.',
  unavailable: 'Your identity provider could not be reached, or single sign-on was turned off. Try again later, or sign in with your password.',
  email_unverified: 'Your identity provider did not confirm your email address. Ask your IT team to verify it there, or sign in with your password.',
  domain: 'Your organisation does not sign in this email address’s domain through single sign-on. Sign in with your password.',
  account_exists:
    'This address already has a Hand on Heart account that is not a member of this organisation. Sign in with your password, and ask an owner to invite you.',
};

/** The code in `?sso_error=`, or null for none or one this app does not know. */
export function ssoErrorOf(search: URLSearchParams): SsoErrorCode | null {
  const code = search.get('sso_error');
  return code && (SSO_ERROR_CODES as readonly string[]).includes(code) ? (code as SsoErrorCode) : null;
}

/**
 * Single sign-on on the sign-in page: the email's domain decides. The server answers the
 * provider's address (and sets the cookie that ties the sign-in to this browser), and the browser
 * goes there; otherwise the person is told to use the password. Its labels avoid "Sign in" and
 * "Email": Playwright matches names by substring, and the browser specs find the password form's
 * button and field by those words.
 */
export function SsoSignIn({ error, navigate = (url) => window.location.assign(url) }: { error: SsoErrorCode | null; navigate?: (url: string) => void }) {
  const [open, setOpen] = useState(error !== null);
  const [email, setEmail] = useState('');
  const start = useStartSso({ onSuccess: (answer) => (answer.sso && answer.authorizationUrl ? navigate(answer.authorizationUrl) : undefined) });
  const form = useContractForm({ schema: SsoStartRequestSchema, mutation: start, fields: FIELDS });
  const noSso = start.data && !start.data.sso;

  return (
    <section className="section-gap" aria-labelledby="sso-title">
      {error ? (
        <Alert tone="error" title="Single sign-on did not sign you in">
          {SSO_ERROR_MESSAGES[error]}
        </Alert>
      ) : null}
      {open ? (
        <form className="form" onSubmit={form.onSubmit({ email })} noValidate aria-describedby="sso-status">
          <h2 id="sso-title">Single sign-on</h2>
          <FormStatus id="sso-status" formErrorTitle="Could not start single sign-on" {...form.statusProps({ email })} />
          <TextField
            label="Your work address"
            name="sso-email"
            type="email"
            autoComplete="username"
            inputMode="email"
            hint="Your organisation’s identity provider signs you in if it uses single sign-on."
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
              start.reset();
            }}
            error={form.fieldErrors.email}
            required
          />
          {noSso ? (
            <p role="status">No organisation signs in this address through single sign-on. Sign in with your email and password above.</p>
          ) : null}
          <Button type="submit" variant="secondary" isLoading={start.isPending || Boolean(start.data?.sso)} className="btn--block">
            Continue with SSO
          </Button>
        </form>
      ) : (
        <Button id="sso-title" variant="secondary" className="btn--block" onClick={() => setOpen(true)}>
          Use single sign-on (SSO)
        </Button>
      )}
    </section>
  );
}
