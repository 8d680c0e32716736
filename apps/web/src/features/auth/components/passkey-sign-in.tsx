import type { MeResponse } from '@hoh/contracts';
import { browserSupportsWebAuthn } from '@simplewebauthn/browser';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describePasskeyError } from '@/lib/passkey-errors';
import { usePasskeySignIn } from '../api/passkey-sign-in';

/**
 * "Use a passkey" in the second step of a sign-in, offered when the account has one (the step's
 * `methods` include 'passkey'). A refusal (a passkey for another site, a cancelled prompt, an
 * expired step) says what to do next without telling more than a plain sign-in failure.
 */
export function PasskeySignIn({ challenge, onSignedIn }: { challenge: string; onSignedIn: (me: MeResponse) => void }) {
  const signIn = usePasskeySignIn();
  if (!browserSupportsWebAuthn()) {
    return <p className="muted">This browser cannot use passkeys: use your authenticator app or a recovery code.</p>;
  }
  return (
    <div className="form">
      {signIn.error ? (
        <Alert tone="error" title="The passkey did not sign you in">
          {describePasskeyError(signIn.error)}
        </Alert>
      ) : null}
      <Button type="button" className="btn--block" isLoading={signIn.isPending} onClick={() => signIn.mutate(challenge, { onSuccess: onSignedIn })}>
        Use a passkey
      </Button>
    </div>
  );
}
