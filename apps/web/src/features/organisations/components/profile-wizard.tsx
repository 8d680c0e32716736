import { PutProfileRequestSchema } from '@hoh/contracts';
import type { ProfileResponse, PutProfileRequest } from '@hoh/contracts';
import { AU_SERVICE_CATEGORIES, JURISDICTIONS, PROFILE_FACT_KEYS, RISK_KINDS, SERVICE_TYPES } from '@hoh/question-bank';
import type { AuServiceCategory, Jurisdiction, OrganisationProfile, ProfileFactKey, RiskLevel, ServiceType } from '@hoh/question-bank';
import { useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CheckboxGroup, RadioGroup } from '@/components/ui/choice-group';
import { TextField } from '@/components/ui/text-field';
import { JURISDICTION_LABELS, RISK_KIND_LABELS, SERVICE_LABELS } from '@/config/vocabulary';
import { describeError } from '@/lib/api-client';
import { fieldErrorsFromApiError, fieldErrorsFromIssues } from '@/lib/form-errors';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { usePreviewApplicability } from '../api/preview-applicability';
import { usePutProfile } from '../api/put-profile';

import { ApplicabilityPreview } from './applicability-preview';
import '../organisations.css';

type YesNo = 'yes' | 'no';

/**
 * Facts the question bank's 1.1.0 rules read. Optional: an unanswered one is left out of the profile
 * ("not recorded"), and the rules then treat it as not holding and say so in their reasons.
 */
const OPTIONAL_FLAGS = [
  {
    key: 'euEstablished',
    legend: 'Is the organisation established in the EU (an office, subsidiary or legal representative there)?',
    why: 'Decides whether you name an EU establishment or a legal representative to receive e-Evidence orders.',
  },
  {
    key: 'euDesignatedVeryLarge',
    legend: 'Has the European Commission designated the service a very large online platform or search engine?',
    why: 'DSA Articles 34, 35 and 37 (systemic risk assessment, mitigation, independent audit) bind only designated services; a user count alone does not.',
  },
  {
    key: 'microOrSmallEnterprise',
    legend: 'Is the organisation a micro or small enterprise (fewer than 50 staff and at most €10m turnover or balance sheet)?',
    why: 'DSA Article 19 exempts micro and small enterprises from the online-platform duties (complaints, misuse, protection of minors) unless designated very large.',
  },
  {
    key: 'genaiOutputsShared',
    legend: 'Are outputs of generative-AI features shared with or visible to other users?',
    why: 'Generated images other users can see are user content: the hash matching, moderation and reporting duties reach them.',
  },
  {
    key: 'ageDetermination',
    legend: 'Does the service already have a means of determining users’ ages (age verification or estimation)?',
    why: 'Ofcom’s child-safety defaults and support measures (ICU F1, F2) apply only where a service can already tell who is a child.',
  },
  {
    key: 'paymentsTaken',
    legend: 'Does the service take payments from users?',
    why: 'Payment-brand alerts and payment-flow monitoring are then sources of detections that must be actioned and reported.',
  },
] as const satisfies ReadonlyArray<{ key: ProfileFactKey; legend: string; why: string }>;
type OptionalFlag = (typeof OPTIONAL_FLAGS)[number]['key'];

const AU_CATEGORY_LABELS: Record<AuServiceCategory, string> = {
  social_media: 'Social media service',
  relevant_electronic: 'Relevant electronic service (messaging, dating, online games)',
  designated_internet: 'Designated internet service (apps, websites, file and photo storage, generative AI)',
  search_engine: 'Internet search engine service',
  app_distribution: 'App distribution service',
  hosting: 'Hosting service',
  internet_carriage: 'Internet carriage service',
  equipment: 'Equipment (manufacture, supply or installation)',
};

interface SurfaceDraft {
  name: string;
  public: boolean;
  e2ee: boolean;
}

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
  optional: Record<OptionalFlag, YesNo | null>;
  surfaces: SurfaceDraft[];
  /** null: not recorded. */
  auServiceCategories: AuServiceCategory[] | null;
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
    optional: Object.fromEntries(OPTIONAL_FLAGS.map(({ key }) => [key, yn(profile?.[key])])) as Record<OptionalFlag, YesNo | null>,
    surfaces: profile?.surfaces ? profile.surfaces.map((s) => ({ ...s })) : [],
    auServiceCategories: profile?.auServiceCategories ? [...profile.auServiceCategories] : null,
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
    // Optional facts: left out, never assumed, while unanswered.
    ...Object.fromEntries(OPTIONAL_FLAGS.map(({ key }) => [key, draft.optional[key] === null ? undefined : draft.optional[key] === 'yes'])),
    surfaces: draft.surfaces.length > 0 ? draft.surfaces : undefined,
    auServiceCategories: draft.jurisdictions.includes('AU') && draft.auServiceCategories !== null ? draft.auServiceCategories : undefined,
  } as Record<ProfileFactKey, unknown>;
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
  { title: 'More about the service', fields: ['surfaces', 'auServiceCategories', ...OPTIONAL_FLAGS.map((f) => f.key)] },
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

/** When a fact was last confirmed, so a stale answer is visible where it is edited. */
function confirmedText(profile: OrganisationProfile | null, key: ProfileFactKey): string {
  const at = profile?.confirmedAt[key];
  return at ? `Last confirmed ${at.slice(0, 10)}.` : 'Not recorded yet.';
}

export interface ProfileWizardProps {
  orgId: string;
  current: ProfileResponse;
  onSaved?: (saved: ProfileResponse) => void;
  /** How long the draft must stop changing before the preview asks the server; tests shorten it. */
  previewDelayMs?: number;
}

/** The organisation profile as five short steps, with a live applicability preview beside it. */
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
    save.mutate(
      { body: parsed.data, version: current.version },
      {
        onSuccess: (saved) => onSaved?.(saved),
        // Saving happens on the last step: show the first step the server found a problem on.
        onError: (error) => {
          const fields = Object.keys(fieldErrorsFromApiError(error, ALL_FIELDS).fields);
          const firstBad = STEPS.findIndex((s) => s.fields.some((f) => fields.includes(f)));
          if (firstBad >= 0 && firstBad !== step) goTo(firstBad);
        },
      },
    );
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

        {step === 4 ? (
          <>
            <p className="field__hint">
              Optional, but each one decides whether a rule applies to you. A fact left unanswered is recorded as unknown, and the
              exposure map says so where it matters.
            </p>
            {OPTIONAL_FLAGS.map(({ key, legend, why }) => (
              <RadioGroup
                key={key}
                legend={legend}
                hint={`${why} ${confirmedText(current.profile, key)}`}
                choices={YES_NO}
                value={draft.optional[key]}
                onChange={(value) => update({ optional: { ...draft.optional, [key]: value } })}
                error={errorFor(key)}
                inline
              />
            ))}
            <fieldset className="choice-group">
              <legend>Surfaces: where content is shared, and whether it is public or end-to-end encrypted</legend>
              <p className="field__hint">
                For example public channels and end-to-end encrypted direct messages. Hash matching under Ofcom’s Code reaches only
                public content, and detection cannot read encrypted content, so each surface needs its own measures.{' '}
                {confirmedText(current.profile, 'surfaces')}
              </p>
              {draft.surfaces.map((surface, index) => (
                <div key={index} className="wizard__surface">
                  <TextField
                    label={`Surface ${index + 1} name`}
                    value={surface.name}
                    onChange={(e) => update({ surfaces: draft.surfaces.map((s, i) => (i === index ? { ...s, name: e.target.value } : s)) })}
                    error={errorFor(`surfaces.${index}.name`)}
                  />
                  <label>
                    <input
                      type="checkbox"
                      checked={surface.public}
                      onChange={(e) => update({ surfaces: draft.surfaces.map((s, i) => (i === index ? { ...s, public: e.target.checked } : s)) })}
                    />{' '}
                    Public
                  </label>
                  <label>
                    <input
                      type="checkbox"
                      checked={surface.e2ee}
                      onChange={(e) => update({ surfaces: draft.surfaces.map((s, i) => (i === index ? { ...s, e2ee: e.target.checked } : s)) })}
                    />{' '}
                    End-to-end encrypted
                  </label>
                  <Button variant="secondary" onClick={() => update({ surfaces: draft.surfaces.filter((_, i) => i !== index) })}>
                    Remove surface {index + 1}
                  </Button>
                </div>
              ))}
              <Button variant="secondary" onClick={() => update({ surfaces: [...draft.surfaces, { name: '', public: false, e2ee: false }] })}>
                Add a surface
              </Button>
            </fieldset>
            {draft.jurisdictions.includes('AU') ? (
              <CheckboxGroup
                legend="Australian service categories"
                hint={`eSafety’s industry codes and standards apply by category, so this decides which of them bind you. ${confirmedText(current.profile, 'auServiceCategories')}`}
                choices={AU_SERVICE_CATEGORIES.map((c) => ({ value: c, label: AU_CATEGORY_LABELS[c] }))}
                values={draft.auServiceCategories ?? []}
                onChange={(auServiceCategories) => update({ auServiceCategories })}
                error={errorFor('auServiceCategories')}
              />
            ) : null}
          </>
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
