import { PutProfileRequestSchema } from '@hoh/contracts';
import type { ProfileResponse, PutProfileRequest } from '@hoh/contracts';
import { JURISDICTIONS, PROFILE_FACT_KEYS, RISK_KINDS, SERVICE_TYPES } from '@hoh/question-bank';
import type { Jurisdiction, OrganisationProfile, RiskLevel, ServiceType } from '@hoh/question-bank';
import { useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';

import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { CheckboxGroup, RadioGroup } from '../../../components/ui/choice-group';
import { TextField } from '../../../components/ui/text-field';
import { JURISDICTION_LABELS, RISK_KIND_LABELS, SERVICE_LABELS } from '../../../config/vocabulary';
import { describeError } from '../../../lib/api-client';
import { fieldErrorsFromApiError, fieldErrorsFromIssues } from '../../../lib/form-errors';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { usePreviewApplicability } from '../api/preview-applicability';
import { usePutProfile } from '../api/put-profile';

import { ApplicabilityPreview } from './applicability-preview';

type YesNo = 'yes' | 'no';

/** The form's own state: numbers as typed, booleans as radio values, so nothing is guessed. */
interface Draft {
  services: ServiceType[];
  ukMonthlyUsers: string;
  managedDevices: string;
  childrenLikely: YesNo | null;
  publicContent: YesNo | null;
  e2ee: YesNo | null;
  risk: Record<'imageCsam' | 'csamUrl' | 'grooming', RiskLevel>;
  multiRisk: YesNo | null;
  anyRisk: YesNo | null;
  jurisdictions: Jurisdiction[];
}

const yn = (b: boolean | undefined): YesNo | null => (b === undefined ? null : b ? 'yes' : 'no');

function draftFrom(profile: OrganisationProfile | null): Draft {
  return {
    services: profile ? [...profile.services] : [],
    ukMonthlyUsers: profile ? String(profile.ukMonthlyUsers) : '',
    managedDevices: profile ? String(profile.managedDevices) : '0',
    childrenLikely: yn(profile?.childrenLikely),
    publicContent: yn(profile?.publicContent),
    e2ee: yn(profile?.e2ee),
    risk: profile ? { ...profile.risk } : { imageCsam: 'low', csamUrl: 'low', grooming: 'low' },
    multiRisk: yn(profile?.multiRisk),
    anyRisk: yn(profile?.anyRisk),
    jurisdictions: profile ? [...profile.jurisdictions] : ['UK'],
  };
}

// Blank number fields and unanswered yes/no questions are left undefined so the shared schema
// reports them with its own words ("Give … as a whole number"), rather than a guess of 0/false.
// For the live preview only, unanswered facts are assumed "no" / 0 so it works from the first step;
// the preview says so while any are assumed.
function candidateFrom(draft: Draft, previous: OrganisationProfile | null, assumeUnanswered = false): unknown {
  const num = (s: string): number | undefined => (s.trim() === '' ? (assumeUnanswered ? 0 : undefined) : Number(s));
  const bool = (v: YesNo | null): boolean | undefined => (v === null ? (assumeUnanswered ? false : undefined) : v === 'yes');
  const facts = {
    services: draft.services,
    ukMonthlyUsers: num(draft.ukMonthlyUsers),
    childrenLikely: bool(draft.childrenLikely),
    publicContent: bool(draft.publicContent),
    e2ee: bool(draft.e2ee),
    managedDevices: num(draft.managedDevices),
    jurisdictions: draft.jurisdictions,
    risk: draft.risk,
    multiRisk: bool(draft.multiRisk),
    anyRisk: bool(draft.anyRisk),
  };
  // Keep the confirmation date of every fact that did not change; the server stamps changed ones now.
  const confirmedAt: Partial<Record<(typeof PROFILE_FACT_KEYS)[number], string>> = {};
  if (previous) {
    for (const key of PROFILE_FACT_KEYS) {
      const at = previous.confirmedAt[key];
      if (at && JSON.stringify(previous[key]) === JSON.stringify(facts[key])) {
        confirmedAt[key] = at;
      }
    }
  }
  return { ...facts, confirmedAt };
}

const STEPS = [
  { title: 'Services', fields: ['services', 'ukMonthlyUsers', 'managedDevices'] },
  { title: 'Users, children and content', fields: ['childrenLikely', 'publicContent', 'e2ee'] },
  { title: 'Risks', fields: ['risk.imageCsam', 'risk.csamUrl', 'risk.grooming', 'multiRisk', 'anyRisk'] },
  { title: 'Jurisdictions', fields: ['jurisdictions'] },
] as const;

const ALL_FIELDS: readonly string[] = STEPS.flatMap((s) => s.fields);

const YES_NO = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
] as const;

const RISK_CHOICES = [
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
] as const;

export interface ProfileWizardProps {
  orgId: string;
  current: ProfileResponse;
  onSaved?: (saved: ProfileResponse) => void;
  /** How long the draft must stop changing before the preview asks the server; tests shorten it. */
  previewDelayMs?: number;
}

/** The organisation profile as four short steps, with a live applicability preview beside it. */
export function ProfileWizard({ orgId, current, onSaved, previewDelayMs = 400 }: ProfileWizardProps) {
  const [draft, setDraft] = useState<Draft>(() => draftFrom(current.profile));
  const [step, setStep] = useState(0);
  const [shownErrors, setShownErrors] = useState<readonly string[]>([]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const save = usePutProfile(orgId);

  const candidate = useMemo(() => candidateFrom(draft, current.profile), [draft, current.profile]);
  const parsed = useMemo(() => PutProfileRequestSchema.safeParse(candidate), [candidate]);
  const clientErrors = parsed.success ? {} : fieldErrorsFromIssues(parsed.error.issues);
  const server = fieldErrorsFromApiError(save.error, ALL_FIELDS);
  const errorFor = (field: string): string | undefined =>
    shownErrors.includes(field) ? (clientErrors[field] ?? server.fields[field]) : server.fields[field];

  const previewParsed = useMemo(
    () => PutProfileRequestSchema.safeParse(candidateFrom(draft, current.profile, true)),
    [draft, current.profile],
  );
  const previewDraft: PutProfileRequest | null = previewParsed.success ? previewParsed.data : null;
  const debouncedDraft = useDebouncedValue(previewDraft, previewDelayMs);
  const preview = usePreviewApplicability(orgId, debouncedDraft);

  const update = (patch: Partial<Draft>) => {
    save.reset();
    setDraft((d) => ({ ...d, ...patch }));
  };
  const stepFields: readonly string[] = STEPS[step]?.fields ?? [];
  const stepHasErrors = stepFields.some((f) => clientErrors[f] !== undefined);

  const goTo = (next: number) => {
    setStep(next);
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  const onNext = () => {
    setShownErrors((shown) => [...new Set([...shown, ...stepFields])]);
    if (!stepHasErrors) {
      goTo(step + 1);
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (step < STEPS.length - 1) {
      onNext();
      return;
    }
    setShownErrors(ALL_FIELDS);
    if (!parsed.success) {
      const firstBad = STEPS.findIndex((s) => s.fields.some((f) => clientErrors[f] !== undefined));
      if (firstBad >= 0) {
        goTo(firstBad);
      }
      return;
    }
    save.mutate({ body: parsed.data, version: current.version }, { onSuccess: (saved) => onSaved?.(saved) });
  };

  const isLast = step === STEPS.length - 1;

  return (
    <div className="wizard">
      <form className="wizard__form card" onSubmit={onSubmit} noValidate aria-labelledby="wizard-step-title">
        <ol className="wizard__steps" aria-label="Profile steps">
          {STEPS.map((s, i) => (
            <li key={s.title} className={i === step ? 'is-current' : i < step ? 'is-done' : undefined}>
              <button type="button" className="wizard__step" onClick={() => goTo(i)} aria-current={i === step ? 'step' : undefined}>
                <span className="wizard__step-number" aria-hidden="true">
                  {i + 1}
                </span>
                <span>
                  <span className="visually-hidden">Step {i + 1}: </span>
                  {s.title}
                </span>
              </button>
            </li>
          ))}
        </ol>

        <h2 id="wizard-step-title" ref={headingRef} tabIndex={-1} className="wizard__title">
          Step {step + 1} of {STEPS.length}: {STEPS[step]?.title}
        </h2>

        {step === 0 ? (
          <>
            <CheckboxGroup
              legend="Which services do you provide?"
              hint="Tick every one that applies; the questions that apply depend on them."
              choices={SERVICE_TYPES.map((s) => ({ value: s, label: SERVICE_LABELS[s].label, hint: SERVICE_LABELS[s].hint }))}
              values={draft.services}
              onChange={(services) => update({ services })}
              error={errorFor('services')}
            />
            <TextField
              label="Approximate monthly active users in the UK"
              hint="A whole number; Ofcom thresholds are 700,000 and 7 million. Use 0 if you have no UK users."
              inputMode="numeric"
              value={draft.ukMonthlyUsers}
              onChange={(e) => update({ ukMonthlyUsers: e.target.value.replace(/[,\s_]/g, '') })}
              error={errorFor('ukMonthlyUsers')}
            />
            <TextField
              label="Number of devices your organisation manages"
              hint="Laptops, phones and tablets issued to staff; 0 if none."
              inputMode="numeric"
              value={draft.managedDevices}
              onChange={(e) => update({ managedDevices: e.target.value.replace(/[,\s_]/g, '') })}
              error={errorFor('managedDevices')}
            />
          </>
        ) : null}

        {step === 1 ? (
          <>
            <RadioGroup legend="Are children likely to use the service?" hint="Your children's access assessment answers this." choices={YES_NO} value={draft.childrenLikely} onChange={(childrenLikely) => update({ childrenLikely })} error={errorFor('childrenLikely')} inline />
            <RadioGroup legend="Is any user content communicated publicly?" choices={YES_NO} value={draft.publicContent} onChange={(publicContent) => update({ publicContent })} error={errorFor('publicContent')} inline />
            <RadioGroup legend="Is any content end-to-end encrypted?" choices={YES_NO} value={draft.e2ee} onChange={(e2ee) => update({ e2ee })} error={errorFor('e2ee')} inline />
          </>
        ) : null}

        {step === 2 ? (
          <>
            <p className="field__hint">Use the levels from your own illegal-harms risk assessment.</p>
            {RISK_KINDS.map((kind) => (
              <RadioGroup
                key={kind}
                legend={`Risk level: ${RISK_KIND_LABELS[kind]}`}
                choices={RISK_CHOICES}
                value={draft.risk[kind]}
                onChange={(level) => update({ risk: { ...draft.risk, [kind]: level } })}
                error={errorFor(`risk.${kind}`)}
                inline
              />
            ))}
            <RadioGroup
              legend="Medium or high risk for two or more kinds of illegal harm?"
              hint="Ofcom's “multi-risk” (para 5.6)."
              choices={YES_NO}
              value={draft.multiRisk}
              onChange={(multiRisk) => update({ multiRisk })}
              error={errorFor('multiRisk')}
              inline
            />
            <RadioGroup legend="Medium or high risk for any kind of illegal harm?" choices={YES_NO} value={draft.anyRisk} onChange={(anyRisk) => update({ anyRisk })} error={errorFor('anyRisk')} inline />
          </>
        ) : null}

        {step === 3 ? (
          <CheckboxGroup
            legend="Where do you serve users?"
            choices={JURISDICTIONS.map((j) => ({ value: j, label: JURISDICTION_LABELS[j] }))}
            values={draft.jurisdictions}
            onChange={(jurisdictions) => update({ jurisdictions })}
            error={errorFor('jurisdictions')}
          />
        ) : null}

        {save.error && server.form.length === 0 && Object.keys(server.fields).length === 0 ? (
          <Alert tone="error" title="The profile was not saved">
            {describeError(save.error)}
          </Alert>
        ) : null}
        {server.form.length > 0 ? (
          <Alert tone="error" title="The profile was not saved">
            <ul>
              {server.form.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </Alert>
        ) : null}
        {save.isSuccess && !save.isPending ? (
          <Alert tone="success" title="Profile saved">
            The exposure map below now reflects it. New assessments use this profile.
          </Alert>
        ) : null}

        <div className="wizard__actions">
          {step > 0 ? (
            <Button variant="secondary" onClick={() => goTo(step - 1)}>
              Back
            </Button>
          ) : null}
          <Button type="submit" isLoading={save.isPending}>
            {isLast ? 'Save profile' : 'Next'}
          </Button>
        </div>
      </form>

      <aside className="wizard__preview" aria-label="Applicability preview">
        <ApplicabilityPreview
          data={preview.data}
          isLoading={preview.isFetching}
          error={preview.error}
          draftValid={previewDraft !== null}
          assuming={!parsed.success && previewDraft !== null}
          onRetry={() => void preview.refetch()}
        />
      </aside>
    </div>
  );
}
