import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describeError } from '@/lib/api-client';
import { useResendEmailVerification } from '../api/passkeys';

/**
 * Shown on every signed-in page while the address is unconfirmed (docs/PRODUCT.md §2.5): the
 * account works in its own organisation, but other organisations cannot add it by this address.
 */
export function EmailVerificationBanner({ email }: { email: string }) {
  const resend = useResendEmailVerification();
  return (
    <Alert tone="warning" title="Please confirm your email address" className="email-verification-banner">
      <p>
        We emailed a confirmation link to <strong>{email}</strong>. Until you follow it, other organisations cannot invite you by this address.
      </p>
      {resend.data ? <p>{resend.data.message}</p> : null}
      {resend.error ? <p>{describeError(resend.error)}</p> : null}
      <Button variant="secondary" className="btn--small" onClick={() => resend.mutate()} isLoading={resend.isPending}>
        Email me a new confirmation link
      </Button>
    </Alert>
  );
}
