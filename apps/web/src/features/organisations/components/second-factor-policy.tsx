import type { SecondFactorPolicy } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { LoadError } from '@/components/ui/load-error';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { describeError } from '@/lib/api-client';
import { useOrganisation, useSetSecondFactorPolicy } from '../api/organisation-settings';

const OPTIONS: { value: SecondFactorPolicy; label: string }[] = [
  { value: 'off', label: 'Not required' },
  { value: 'signers', label: 'Required for those who can sign off' },
  { value: 'everyone', label: 'Required for every member' },
];

/**
 * The owner's second-factor policy (docs/PRODUCT.md §2.7). A member it covers who signed in without
 * a second factor is turned away from the organisation's pages until they set one up and sign in
 * again; their account page stays open so they can.
 */
export function SecondFactorPolicySetting({ orgId }: { orgId: string }) {
  const organisation = useOrganisation(orgId);
  const save = useSetSecondFactorPolicy(orgId);
  const [choice, setChoice] = useState<SecondFactorPolicy | null>(null);
  if (organisation.isPending) return <Spinner label="Loading the organisation's settings…" />;
  if (organisation.error) return <LoadError what="the organisation's settings" error={organisation.error} onRetry={() => void organisation.refetch()} />;
  const current = organisation.data.settings.secondFactorPolicy;
  const selected = choice ?? current;
  return (
    <form
      className="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(selected, { onSuccess: () => setChoice(null) });
      }}
    >
      {save.error ? (
        <Alert tone="error" title="The setting was not changed">
          {describeError(save.error)}
        </Alert>
      ) : null}
      {save.isSuccess && choice === null ? <Alert tone="success" title="Saved">Members it covers need a second factor from their next request.</Alert> : null}
      <SelectField
        label="Two-factor authentication"
        name="secondFactorPolicy"
        hint="A member it covers who signed in with a password alone is asked to set up an authenticator app (or a passkey) and sign in again. Set up your own first."
        options={OPTIONS}
        value={selected}
        onChange={(e) => setChoice(e.target.value as SecondFactorPolicy)}
      />
      <Button type="submit" variant="secondary" disabled={selected === current} isLoading={save.isPending}>
        Save
      </Button>
    </form>
  );
}
