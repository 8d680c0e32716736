import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { LoadError } from '@/components/ui/load-error';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { describePasskeyError } from '@/lib/passkey-errors';
import { formatDateTime } from '@/lib/format';
import { passkeysSupported, useAddPasskey, usePasskeys, useRemovePasskey } from '../api/passkeys';
import type { Passkey } from '@hoh/contracts';

/** Removing needs proof that it is you: one of your passkeys, or your password (docs/PRODUCT.md §2.5). */
function RemovePasskey({ passkey, onDone }: { passkey: Passkey; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const remove = useRemovePasskey();
  const run = (withPassword: boolean) =>
    remove.mutate({ id: passkey.id, ...(withPassword ? { password } : {}) }, { onSuccess: onDone });
  return (
    <div className="form" aria-label={`Remove ${passkey.name}`} role="group">
      {remove.error ? (
        <Alert tone="error" title="The passkey was not removed">
          {describePasskeyError(remove.error)}
        </Alert>
      ) : null}
      <p>Prove it is you to remove “{passkey.name}”: use a passkey, or enter your password.</p>
      <Button variant="danger" onClick={() => run(false)} isLoading={remove.isPending && remove.variables.password === undefined}>
        Confirm with a passkey and remove
      </Button>
      <TextField label="Your password" name="removePasskeyPassword" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <Button variant="secondary" disabled={password === ''} onClick={() => run(true)} isLoading={remove.isPending && remove.variables.password !== undefined}>
        Remove with my password
      </Button>
      <Button variant="secondary" onClick={onDone}>
        Keep it
      </Button>
    </div>
  );
}

/** /account → Passkeys: add one with a name (the browser asks for the PIN or fingerprint), list them, remove one. */
export function PasskeysSection() {
  const passkeys = usePasskeys();
  const add = useAddPasskey();
  const [name, setName] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const supported = passkeysSupported();

  return (
    <>
      {passkeys.isPending ? <Spinner label="Loading your passkeys…" /> : null}
      {passkeys.error ? <LoadError what="your passkeys" error={passkeys.error} onRetry={() => void passkeys.refetch()} /> : null}
      {passkeys.data && passkeys.data.length === 0 ? <p className="muted">You have no passkey yet.</p> : null}
      {passkeys.data && passkeys.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Your passkeys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Added</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {passkeys.data.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>{formatDateTime(p.createdAt)}</td>
                  <td>{p.lastUsedAt ? formatDateTime(p.lastUsedAt) : 'Never'}</td>
                  <td>
                    {removing === p.id ? (
                      <RemovePasskey passkey={p} onDone={() => setRemoving(null)} />
                    ) : (
                      <Button variant="danger" className="btn--small" onClick={() => setRemoving(p.id)} aria-label={`Remove the passkey ${p.name}`}>
                        Remove
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {supported ? (
        <form
          className="form"
          aria-label="Add a passkey"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(name.trim(), { onSuccess: () => setName('') });
          }}
        >
          {add.error ? (
            <Alert tone="error" title="The passkey was not added">
              {describePasskeyError(add.error)}
            </Alert>
          ) : null}
          {add.data ? <Alert tone="success" title={`Passkey “${add.data.name}” added`}>Use it as your second step when you sign in.</Alert> : null}
          <TextField
            label="Passkey name"
            name="passkeyName"
            hint="Where it lives, e.g. “Work laptop” or “Phone”"
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            required
          />
          <Button type="submit" isLoading={add.isPending} disabled={name.trim() === ''}>
            Add a passkey
          </Button>
        </form>
      ) : (
        <Alert tone="info" title="This browser cannot use passkeys">
          Open your account in a current browser on a device with a screen lock, or a security key, to add one.
        </Alert>
      )}
    </>
  );
}
