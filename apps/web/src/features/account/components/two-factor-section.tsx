import type { SecondFactorProof, TotpEnrolment } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { LoadError } from '@/components/ui/load-error';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { ApiError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useBeginTotp, useConfirmTotp, useDisableTotp, useRegenerateRecoveryCodes, useTwoFactorStatus } from '../api/two-factor';

/** Six digits (spaces allowed) are a code from the app; anything else is taken for a recovery code. */
const proofOf = (value: string): SecondFactorProof => (/^\d{6}$/.test(value.replace(/\s/g, '')) ? { totp: value } : { recoveryCode: value });

const messageOf = (error: Error | null): string | null => (error ? (error instanceof ApiError ? error.message : 'Something went wrong. Try again.') : null);

/** The ten codes, shown once: the server keeps only their hashes. */
function RecoveryCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Alert tone="success" title="Save your recovery codes now">
      <p>
        Each code signs you in once if you lose your phone. They are shown only now: print them or keep them in a password manager.
      </p>
      <ul className="recovery-codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <CopyButton value={codes.join('\n')} label="Copy the codes" />
      <Button variant="secondary" onClick={onDone}>
        I have saved them
      </Button>
    </Alert>
  );
}

/** Setting up: the secret as a link for the phone and as text to type, then the first code turns it on. */
function Enrol({ enrolment, onCodes }: { enrolment: TotpEnrolment; onCodes: (codes: string[]) => void }) {
  const [code, setCode] = useState('');
  const confirm = useConfirmTotp();
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        confirm.mutate(code, { onSuccess: (r) => onCodes(r.recoveryCodes) });
      }}
    >
      <ol>
        <li>
          In your authenticator app (1Password, Google Authenticator, Microsoft Authenticator…), add an account: open{' '}
          <a href={enrolment.uri}>this setup link</a> on your phone, or type the key below.
        </li>
        <li>
          Key for <strong>{enrolment.account}</strong>: <code data-testid="totp-secret">{enrolment.secret}</code> <CopyButton value={enrolment.secret.replace(/ /g, '')} label="Copy the key" />
        </li>
        <li>Enter the 6-digit code the app shows to turn it on.</li>
      </ol>
      {confirm.error ? (
        <Alert tone="error" title="Not turned on">
          {messageOf(confirm.error)}
        </Alert>
      ) : null}
      <TextField label="Code from the app" name="totpConfirm" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
      <Button type="submit" isLoading={confirm.isPending}>
        Turn on two-factor authentication
      </Button>
    </form>
  );
}

/** When it is on: new recovery codes, or turning it off, each with a current code (or a recovery code). */
function Manage({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const [code, setCode] = useState('');
  const disable = useDisableTotp();
  const regenerate = useRegenerateRecoveryCodes();
  const error = messageOf(disable.error ?? regenerate.error);
  return (
    <div className="form" role="group" aria-label="Change two-factor authentication">
      {error ? (
        <Alert tone="error" title="Nothing was changed">
          {error}
        </Alert>
      ) : null}
      <TextField
        label="Current code from the app, or a recovery code"
        name="totpProof"
        autoComplete="one-time-code"
        hint="Needed to change anything here: a signed-in browser alone is not enough."
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <Button
        variant="secondary"
        disabled={code.trim() === ''}
        isLoading={regenerate.isPending}
        onClick={() => regenerate.mutate(proofOf(code), { onSuccess: (r) => { setCode(''); onCodes(r.recoveryCodes); } })}
      >
        Make new recovery codes
      </Button>
      <Button variant="danger" disabled={code.trim() === ''} isLoading={disable.isPending} onClick={() => disable.mutate(proofOf(code), { onSuccess: () => setCode('') })}>
        Turn off the authenticator app
      </Button>
    </div>
  );
}

/** /account → Two-factor authentication (docs/PRODUCT.md §2.7): an authenticator app with recovery codes. */
export function TwoFactorSection() {
  const status = useTwoFactorStatus();
  const begin = useBeginTotp();
  const [codes, setCodes] = useState<string[] | null>(null);

  if (status.isPending) return <Spinner label="Loading your two-factor settings…" />;
  if (status.error) return <LoadError what="your two-factor settings" error={status.error} onRetry={() => void status.refetch()} />;
  const { totp, recoveryCodesLeft } = status.data;

  return (
    <>
      {codes ? <RecoveryCodesPanel codes={codes} onDone={() => setCodes(null)} /> : null}
      {totp.enabled ? (
        <>
          <p>
            <strong>On</strong>
            {totp.confirmedAt ? ` since ${formatDateTime(totp.confirmedAt)}` : ''}: signing in asks for a code from your authenticator app.{' '}
            {recoveryCodesLeft} recovery code{recoveryCodesLeft === 1 ? '' : 's'} left.
          </p>
          {codes ? null : <Manage onCodes={setCodes} />}
        </>
      ) : (
        <>
          <p className="muted">Off. Signing in asks only for your password{status.data.passkeys > 0 ? ' (or a passkey)' : ''}.</p>
          {begin.data ? (
            <Enrol enrolment={begin.data} onCodes={(c) => { setCodes(c); begin.reset(); }} />
          ) : (
            <>
              {begin.error ? (
                <Alert tone="error" title="Could not start">
                  {messageOf(begin.error)}
                </Alert>
              ) : null}
              <Button isLoading={begin.isPending} onClick={() => begin.mutate()}>
                Set up an authenticator app
              </Button>
            </>
          )}
        </>
      )}
    </>
  );
}
