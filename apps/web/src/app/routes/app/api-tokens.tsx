import { CreateApiTokenRequestSchema } from '@hoh/contracts';
import type { ApiTokenScope, CreateApiTokenResponse } from '@hoh/contracts';
import { useState } from 'react';
import type { FormEvent } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { useCreateToken, useRevokeToken, useTokens } from '@/features/tokens/api/tokens';
import { describeError } from '@/lib/api-client';
import { fieldErrorsFromApiError, fieldErrorsFromIssues } from '@/lib/form-errors';
import type { FieldErrors } from '@/lib/form-errors';
import { formatDate, formatDateTime } from '@/lib/format';

const SCOPE_LABELS: Record<ApiTokenScope, string> = { read: 'Read only (GET requests)', read_write: 'Read and write (as you)' };

export function Component() {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiTokenScope>('read');
  const [expires, setExpires] = useState('');
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [secret, setSecret] = useState<CreateApiTokenResponse | null>(null);
  const server = fieldErrorsFromApiError(create.error, ['name', 'scope', 'expiresAt']);
  const errors = { ...server.fields, ...clientErrors };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { name, scope, ...(expires ? { expiresAt: new Date(`${expires}T23:59:59Z`).toISOString() } : {}) };
    const parsed = CreateApiTokenRequestSchema.safeParse(body);
    if (!parsed.success) {
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    create.mutate(parsed.data, {
      onSuccess: (t) => {
        setSecret(t);
        setName('');
      },
    });
  };

  return (
    <>
      <PageHeader
        title="API tokens"
        lead="Personal tokens let scripts call the API as you (Authorization: Bearer …). Read-only tokens can only read; give each a name and an expiry."
      />
      <Card aria-labelledby="new-token-title">
        <h2 id="new-token-title">Create a token</h2>
        <form className="invite-form" onSubmit={submit} noValidate>
          <TextField label="Name" hint="Where it will be used, e.g. CI evidence upload" value={name} onChange={(e) => setName(e.target.value)} error={errors['name']} />
          <SelectField label="Scope" value={scope} onChange={(e) => setScope(e.target.value as ApiTokenScope)} options={(['read', 'read_write'] as const).map((s) => ({ value: s, label: SCOPE_LABELS[s] }))} />
          <TextField label="Expires on (optional)" type="date" hint="Leave empty for a token that lasts until revoked" value={expires} onChange={(e) => setExpires(e.target.value)} error={errors['expiresAt']} />
          <div className="field invite-form__submit">
            <Button type="submit" isLoading={create.isPending}>
              Create token
            </Button>
          </div>
        </form>
        {create.error && Object.keys(server.fields).length === 0 ? (
          <Alert tone="error" title="No token was created">
            {describeError(create.error)}
          </Alert>
        ) : null}
        {secret ? (
          <Alert tone="success" title={`Token “${secret.name}” created`}>
            <p>
              Copy it now: it is shown <strong>only once</strong>. The server keeps only its hash.
            </p>
            <p className="secret">
              <code className="break" data-testid="token-secret">
                {secret.token}
              </code>
            </p>
            <CopyButton value={secret.token} label="Copy the token" />
            <Button variant="ghost" onClick={() => setSecret(null)}>
              I have stored it, hide it
            </Button>
          </Alert>
        ) : null}
      </Card>

      <section className="section-gap" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Your tokens</h2>
        {revoke.error ? (
          <Alert tone="error" title="The token was not revoked">
            {describeError(revoke.error)}
          </Alert>
        ) : null}
        {tokens.isPending ? <Spinner label="Loading tokens…" /> : null}
        {tokens.error ? <LoadError what="your tokens" error={tokens.error} onRetry={() => void tokens.refetch()} /> : null}
        {tokens.data && tokens.data.length === 0 ? <p className="muted">You have no API tokens. Create one above when a script needs access.</p> : null}
        {tokens.data && tokens.data.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Your API tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Starts with</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.map((t) => (
                  <tr key={t.id}>
                    <td>{t.name}</td>
                    <td>{SCOPE_LABELS[t.scope]}</td>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td>{formatDate(t.createdAt)}</td>
                    <td>{t.expiresAt ? formatDate(t.expiresAt) : 'Never (until revoked)'}</td>
                    <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</td>
                    <td>
                      <Button variant="danger" className="btn--small" onClick={() => revoke.mutate(t.id)} isLoading={revoke.isPending && revoke.variables === t.id} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </>
  );
}
