import { CreateExternalEvidenceRequestSchema, EvidenceKindSchema } from '@hoh/contracts';
import { useState } from 'react';
import type { FormEvent } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { describeError } from '@/lib/api-client';
import { fieldErrorsFromApiError, fieldErrorsFromIssues } from '@/lib/form-errors';
import type { FieldErrors } from '@/lib/form-errors';
import { useCreateExternalEvidence } from '../api/evidence';
import { EVIDENCE_KIND_LABELS } from '../vocabulary';

const FIELDS = ['title', 'kind', 'externalRef', 'issuedAt', 'expiresAt'];
const toIso = (date: string) => (date ? new Date(`${date}T00:00:00Z`).toISOString() : undefined);

/** Evidence that lives in your own system (the preferred form): a URL or a document id. */
export function AddExternalEvidence({ orgId }: { orgId: string }) {
  const today = new Date().toISOString().slice(0, 10);
  const [v, setV] = useState({ title: '', kind: EvidenceKindSchema.options[0] as string, externalRef: '', issuedAt: today, expiresAt: '' });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState<string | null>(null);
  const create = useCreateExternalEvidence(orgId);
  const server = fieldErrorsFromApiError(create.error, FIELDS);
  const errors = { ...server.fields, ...clientErrors };
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [k]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = { title: v.title, kind: v.kind, externalRef: v.externalRef, issuedAt: toIso(v.issuedAt), ...(v.expiresAt ? { expiresAt: toIso(v.expiresAt) } : {}) };
    const parsed = CreateExternalEvidenceRequestSchema.safeParse(body);
    if (!parsed.success) {
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    create.mutate(parsed.data, {
      onSuccess: (ev) => {
        setSaved(ev.title);
        setV((x) => ({ ...x, title: '', externalRef: '' }));
      },
    });
  };

  return (
    <form className="evidence-form" onSubmit={submit} noValidate aria-label="Add an external reference">
      <TextField label="Title" hint='e.g. "Hash-matching policy v3"' value={v.title} onChange={set('title')} error={errors['title']} />
      <SelectField label="Kind" value={v.kind} onChange={set('kind')} options={EvidenceKindSchema.options.map((k) => ({ value: k, label: EVIDENCE_KIND_LABELS[k] }))} error={errors['kind']} />
      <TextField label="URL or document id" hint="An https link, or an id in your own system such as DMS-4711" value={v.externalRef} onChange={set('externalRef')} error={errors['externalRef']} />
      <TextField label="Issued on" type="date" value={v.issuedAt} onChange={set('issuedAt')} error={errors['issuedAt']} />
      <TextField label="Expires on (optional)" type="date" hint="Empty: 12 months after issue" value={v.expiresAt} onChange={set('expiresAt')} error={errors['expiresAt']} />
      <div className="field invite-form__submit">
        <Button type="submit" isLoading={create.isPending}>
          Add reference
        </Button>
      </div>
      {create.error && Object.keys(server.fields).length === 0 ? (
        <Alert tone="error" title="The reference was not added">
          {describeError(create.error)}
        </Alert>
      ) : null}
      {saved ? (
        <Alert tone="success" title="Reference added">
          “{saved}” is pending review: it lifts a score cap once an owner or assessor accepts it.
        </Alert>
      ) : null}
    </form>
  );
}
