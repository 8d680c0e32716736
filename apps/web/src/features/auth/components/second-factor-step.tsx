import { SecondFactorSignInRequestSchema } from '@hoh/contracts';
import type { MeResponse, SecondFactorChallenge } from '@hoh/contracts';
import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { FormStatus } from '@/components/ui/form-status';
import { TextField } from '@/components/ui/text-field';
import { useContractForm } from '@/lib/use-contract-form';
import { useSecondFactorSignIn } from '../api/second-factor-sign-in';

import { PasskeySignIn } from './passkey-sign-in';
import '../auth.css';

const FIELDS = ['totp', 'recoveryCode', 'challenge'] as const;

/**
 * The second step of a sign-in (docs/PRODUCT.md §2.7): the password was right and the account has a
 * second factor. A code from the authenticator app, or (switched to) one of the saved recovery
 * codes, or a passkey when the account has one. The step lasts 5 minutes; after that the message
 * says to start again, which "Start again" does.
 */
export function SecondFactorStep({
  challenge,
  onSignedIn,
  onRestart,
}: {
  challenge: SecondFactorChallenge;
  onSignedIn: (me: MeResponse) => void | Promise<void>;
  onRestart: () => void;
}) {
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const signIn = useSecondFactorSignIn(onSignedIn);
  const form = useContractForm({ schema: SecondFactorSignInRequestSchema, mutation: signIn, fields: FIELDS });
  const values = useRecovery ? { challenge: challenge.challenge, recoveryCode: code } : { challenge: challenge.challenge, totp: code };
  const hasCodes = challenge.methods.includes('totp');

  return (
    <div className="form" aria-labelledby="second-factor-title">
      <h2 id="second-factor-title">Two-factor authentication</h2>
      {hasCodes ? (
        <form className="form" onSubmit={form.onSubmit(values)} noValidate aria-describedby="second-factor-status">
          <FormStatus id="second-factor-status" formErrorTitle="Could not sign you in" {...form.statusProps(values)} />
          {useRecovery ? (
            <TextField
              label="Recovery code"
              name="recoveryCode"
              autoComplete="off"
              hint="One of the ten codes you saved when you set up two-factor authentication. Each works once."
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={form.fieldErrors.recoveryCode}
              required
            />
          ) : (
            <TextField
              label="Authentication code"
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              hint="The 6-digit code your authenticator app shows for Hand on Heart."
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={form.fieldErrors.totp}
              required
            />
          )}
          <Button type="submit" isLoading={signIn.isPending} className="btn--block">
            Verify and sign in
          </Button>
          <p className="form__aside">
            <Button
              variant="ghost"
              onClick={() => {
                setUseRecovery(!useRecovery);
                setCode('');
                signIn.reset();
              }}
            >
              {useRecovery ? 'Use a code from your authenticator app' : 'Lost your phone? Use a recovery code'}
            </Button>
          </p>
        </form>
      ) : null}
      {challenge.methods.includes('passkey') ? <PasskeySignIn challenge={challenge.challenge} onSignedIn={(me) => void onSignedIn(me)} /> : null}
      <p className="form__aside">
        <Button variant="ghost" onClick={onRestart}>
          Start again with your password
        </Button>
      </p>
    </div>
  );
}
