import { SSO_DEFAULT_ROLES, SsoConfigRequestSchema } from '@hoh/contracts';
import type { SsoConfig, SsoConfigRequest } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { FormStatus } from '@/components/ui/form-status';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { can, ROLE_LABELS } from '@/lib/permissions';
import { useContractForm } from '@/lib/use-contract-form';
import { useCurrentMembership } from '@/features/auth';
import { useRemoveSso, useSaveSso, useSsoSettings } from '../api/sso';

const FIELDS = ['issuer', 'clientId', 'clientSecret', 'allowedDomains', 'defaultRole', 'trustProviderMfa', 'enabled'] as const;
const ROLE_OPTIONS = SSO_DEFAULT_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** Domains typed one per line or separated by commas or spaces. */
const domainsOf = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);

/**
 * Settings → Single sign-on (docs/PRODUCT.md §2.6), owners only: the organisation's OpenID provider.
 * The client secret is sent when typed and never shown again; leaving it empty keeps the stored one.
 */
export function SsoSettingsPage() {
  const { membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const isOwner = can(membership, 'administer');

  return (
    <>
      <PageHeader
        title="Single sign-on"
        lead={`Let people at ${membership.organisationName} sign in through your identity provider (OpenID Connect: Entra ID, Okta, Google Workspace, Keycloak…), found by their email domain.`}
      />
      {isOwner ? <SsoSettings orgId={orgId} /> : <p className="muted">Only owners set up single sign-on. Ask an owner of {membership.organisationName}.</p>}
    </>
  );
}

function SsoSettings({ orgId }: { orgId: string }) {
  const settings = useSsoSettings(orgId);
  // Held here, not in the form: a save gives the form a new key, and its confirmation must outlive that.
  const save = useSaveSso(orgId);
  if (settings.isPending) return <Spinner label="Loading single sign-on…" />;
  if (settings.error) return <LoadError what="single sign-on" error={settings.error} onRetry={() => void settings.refetch()} />;
  const { redirectUri, config } = settings.data;
  return (
    <>
      <Card aria-labelledby="sso-redirect-title">
        <h2 id="sso-redirect-title">At your identity provider</h2>
        <p>Register Hand on Heart as a web application (confidential client, authorisation code flow with PKCE) with this redirect URI:</p>
        <p className="secret">
          <code className="break" data-testid="sso-redirect-uri">
            {redirectUri}
          </code>
        </p>
        <CopyButton value={redirectUri} label="Copy the redirect URI" />
        <p className="muted">Scopes: openid, email, profile. The ID token must carry the person’s email and email_verified.</p>
      </Card>
      {/* Keyed by the saved version, so the form starts from what the server holds after each save. */}
      <SsoForm key={config?.updatedAt ?? 'new'} orgId={orgId} config={config} save={save} />
    </>
  );
}

function SsoForm({ orgId, config, save }: { orgId: string; config: SsoConfig | null; save: ReturnType<typeof useSaveSso> }) {
  const remove = useRemoveSso(orgId);
  const [issuer, setIssuer] = useState(config?.issuer ?? '');
  const [clientId, setClientId] = useState(config?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [domains, setDomains] = useState(config?.allowedDomains.join('\n') ?? '');
  const [defaultRole, setDefaultRole] = useState<SsoConfigRequest['defaultRole']>(config?.defaultRole ?? 'contributor');
  const [trustProviderMfa, setTrustProviderMfa] = useState(config?.trustProviderMfa ?? false);
  const [enabled, setEnabled] = useState(config?.enabled ?? false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const form = useContractForm({ schema: SsoConfigRequestSchema, mutation: save, fields: FIELDS });
  const values = {
    issuer,
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    allowedDomains: domainsOf(domains),
    defaultRole,
    trustProviderMfa,
    enabled,
  };
  const domainError = form.fieldErrors.allowedDomains ?? Object.entries(form.fieldErrors).find(([k]) => k.startsWith('allowedDomains.'))?.[1];

  return (
    <Card aria-labelledby="sso-form-title" className="section-gap">
      <h2 id="sso-form-title">Your provider</h2>
      {config ? (
        <p className="muted">
          {config.enabled ? 'On' : 'Off'} · saved {formatDateTime(config.updatedAt)}
        </p>
      ) : null}
      <form className="form" onSubmit={form.onSubmit(values)} noValidate aria-describedby="sso-form-status">
        <FormStatus id="sso-form-status" formErrorTitle="Single sign-on was not saved" {...form.statusProps(values)} />
        <TextField
          label="Issuer URL"
          name="issuer"
          type="url"
          hint="As your provider names it, e.g. https://login.microsoftonline.com/<tenant>/v2.0. It is checked when you save."
          value={issuer}
          onChange={(e) => setIssuer(e.target.value)}
          error={form.fieldErrors.issuer}
          required
        />
        <TextField label="Client id" name="clientId" value={clientId} onChange={(e) => setClientId(e.target.value)} error={form.fieldErrors.clientId} required />
        <TextField
          label="Client secret"
          name="clientSecret"
          type="password"
          autoComplete="off"
          hint={config?.hasSecret ? 'A secret is stored and never shown. Leave this empty to keep it, or type a new one.' : undefined}
          value={clientSecret}
          onChange={(e) => setClientSecret(e.target.value)}
          error={form.fieldErrors.clientSecret}
          required={!config}
        />
        <TextareaField
          label="Email domains"
          name="allowedDomains"
          hint="One per line, e.g. example.org. People with these addresses sign in through this provider; a domain belongs to one organisation."
          value={domains}
          onChange={(e) => setDomains(e.target.value)}
          error={domainError}
          rows={3}
        />
        <SelectField
          label="Role of people who join through single sign-on"
          name="defaultRole"
          options={ROLE_OPTIONS}
          value={defaultRole}
          onChange={(e) => setDefaultRole(e.target.value as SsoConfigRequest['defaultRole'])}
          hint="Never owner: an owner can change anyone’s role in Members afterwards."
          error={form.fieldErrors.defaultRole}
        />
        <div className="field">
          <label className="choice">
            <input type="checkbox" name="trustProviderMfa" checked={trustProviderMfa} onChange={(e) => setTrustProviderMfa(e.target.checked)} />
            <span>Count your provider’s multi-factor sign-in (its amr claim) as a second factor here</span>
          </label>
        </div>
        <div className="field">
          <label className="choice">
            <input type="checkbox" name="enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            <span>On: offer single sign-on to these domains</span>
          </label>
        </div>
        <Button type="submit" isLoading={save.isPending}>
          Save
        </Button>
        {save.isSuccess ? <p role="status">Saved: your provider answered and its settings were stored.</p> : null}
      </form>
      {config ? (
        confirmRemove ? (
          <Alert tone="warning" title="Remove single sign-on?">
            <p>People who joined through it keep their accounts, but must reset a password to sign in. The domains become free.</p>
            <Button variant="danger" isLoading={remove.isPending} onClick={() => remove.mutate()}>
              Remove it
            </Button>
            <Button variant="ghost" onClick={() => setConfirmRemove(false)}>
              Keep it
            </Button>
          </Alert>
        ) : (
          <Button variant="danger" className="section-gap" onClick={() => setConfirmRemove(true)}>
            Remove single sign-on
          </Button>
        )
      ) : null}
      {remove.error ? (
        <Alert tone="error" title="Single sign-on was not removed">
          {describeError(remove.error)}
        </Alert>
      ) : null}
    </Card>
  );
}
