import { z } from 'zod';
import { AU_SERVICE_CATEGORIES, JURISDICTIONS, RISK_KINDS, SERVICE_TYPES } from './profile.js';
import type { AuServiceCategory, Jurisdiction, RiskKind, ServiceType } from './profile.js';

export const REGIMES = [
  'ofcom-icu',
  'ofcom-ics',
  'uk-osa',
  'uk-si-2026-268',
  'us-2258a',
  'au-bose',
  'au-dis',
  'au-res',
  'eu-dsa',
  'eu-csam-interim',
  'five-eyes-vp',
  'uk-pca-1978',
  // Added in hoh-csam 1.1.0 (additive): statutes and codes that 1.0.0 filed under 'other' or left out.
  'ofcom-pcu',
  'uk-cja-1988',
  'uk-soa-2003',
  'us-2258b',
  'au-osa-2021',
  'au-codes',
  'eu-e-evidence',
  'other',
] as const;
export const RegimeSchema = z.enum(REGIMES, {
  error: () => `Use a regime from the API vocabulary: ${REGIMES.join(', ')}.`,
});
export type Regime = z.infer<typeof RegimeSchema>;

// Evidence describes controls; media kinds are absent on purpose: the product never holds imagery.
export const EVIDENCE_KINDS = [
  'policy',
  'procedure',
  'configuration',
  'contract',
  'registration',
  'training_record',
  'audit_report',
  'metrics',
  'minutes',
  'external_reference',
  /** Records of drills and tabletop exercises (accepted from hoh-csam 1.1.0). */
  'exercise',
  'other',
] as const;
export const EvidenceKindSchema = z.enum(EVIDENCE_KINDS, {
  error: () => `Use an evidence kind from: ${EVIDENCE_KINDS.join(', ')} (never media).`,
});
export type EvidenceKind = z.infer<typeof EvidenceKindSchema>;

/**
 * How a reference was checked (hoh-csam 1.1.0 on). `primary`: the primary text (or a faithful mirror of
 * it) was read and states it; `secondary`: only a named secondary source quotes it; `unchecked`: no
 * source confirmed it. The note says, in words a compliance officer can act on, what was read and what
 * to do before citing the reference to a regulator.
 */
export const REFERENCE_CHECK_STATES = ['primary', 'secondary', 'unchecked'] as const;
export type ReferenceCheckState = (typeof REFERENCE_CHECK_STATES)[number];

export const ReferenceCheckSchema = z
  .object({
    state: z.enum(REFERENCE_CHECK_STATES, { error: () => 'A reference check state is primary, secondary or unchecked.' }),
    /** The source that was read: the primary text (primary) or the named secondary source (secondary). */
    source: z.string().trim().min(3).max(300).optional(),
    /** Where the primary text can be read; required for primary. */
    sourceUrl: z.url({ protocol: /^https?$/, error: 'Give the source URL as an http(s) address.' }).max(500).optional(),
    note: z.string().trim().min(20, { error: 'Say what was checked and what to do before relying on it (20+ characters).' }).max(600),
  })
  .strict()
  .superRefine((check, ctx) => {
    if (check.state === 'primary' && check.sourceUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['sourceUrl'], message: 'A primary check needs the URL of the primary text that was read.' });
    }
    if (check.state !== 'unchecked' && check.source === undefined) {
      ctx.addIssue({ code: 'custom', path: ['source'], message: `A ${check.state} check names the source that was read.` });
    }
  });
export type ReferenceCheck = z.infer<typeof ReferenceCheckSchema>;

export const ReferenceSchema = z
  .object({
    regime: RegimeSchema,
    id: z.string().trim().min(1, { error: 'Give the exact measure id or section, e.g. "C9" or "s.66".' }).max(120),
    title: z.string().trim().min(1, { error: 'Give the reference a title.' }).max(300),
    /**
     * hoh-csam 1.0.0: true once confirmed. From 1.1.0 it is kept for clients that predate `check`
     * and is true exactly when the check is `primary`.
     */
    verified: z.boolean(),
    /** How the reference was checked; every reference carries one from hoh-csam 1.1.0 on. */
    check: ReferenceCheckSchema.optional(),
  })
  // No refinement here: the contracts extend this object (exposure entries), which zod refuses for
  // refined objects. QuestionSchema checks that `verified` agrees with `check`.
  .strict();
export type Reference = z.infer<typeof ReferenceSchema>;

// ---------------------------------------------------------------------------------------------
// Applicability rule language. JSON-only so content stays data; every leaf names one profile
// fact, which is what lets the evaluator say which facts decided the outcome.

export const NUMERIC_FACTS = ['ukMonthlyUsers', 'managedDevices'] as const;
export type NumericFact = (typeof NUMERIC_FACTS)[number];
export const BOOLEAN_FACTS = [
  'childrenLikely',
  'publicContent',
  'e2ee',
  'multiRisk',
  'anyRisk',
  // Optional profile facts (hoh-csam 1.1.0 rules); a fact the profile has not recorded never holds.
  'euEstablished',
  'euDesignatedVeryLarge',
  'microOrSmallEnterprise',
  'genaiOutputsShared',
  'ageDetermination',
  'paymentsTaken',
] as const;
export type BooleanFact = (typeof BOOLEAN_FACTS)[number];

/** An optional label (e.g. "ICU C9") names the measure a branch stands for in the reason text. */
type Labelled = { label?: string };
export type ApplicabilityRule =
  | (Labelled & { always: true })
  | (Labelled & { all: ApplicabilityRule[] })
  | (Labelled & { any: ApplicabilityRule[] })
  | (Labelled & { not: ApplicabilityRule })
  | (Labelled & { service: ServiceType })
  | (Labelled & { jurisdiction: Jurisdiction })
  | (Labelled & { risk: { kind: RiskKind; atLeast: 'medium' | 'high' } })
  | (Labelled & { fact: NumericFact; gt?: number; gte?: number; lt?: number; lte?: number })
  | (Labelled & { fact: BooleanFact; is: boolean })
  | (Labelled & { auCategory: AuServiceCategory })
  /**
   * Holds when the exposure entry for this measure applies to the profile, under the exposure rules of
   * the question's own bank version (hoh-csam 1.1.0 on): a critical condition names the measures that
   * make the question critical instead of repeating their conditions.
   */
  | (Labelled & { measure: { regime: Regime; id: string } });

const label = z.string().trim().min(1).max(80).optional();

export const ApplicabilityRuleSchema: z.ZodType<ApplicabilityRule> = z.lazy(() =>
  z.union(
    [
      z.object({ label, always: z.literal(true) }).strict(),
      z.object({ label, all: z.array(ApplicabilityRuleSchema).min(1) }).strict(),
      z.object({ label, any: z.array(ApplicabilityRuleSchema).min(1) }).strict(),
      z.object({ label, not: ApplicabilityRuleSchema }).strict(),
      z.object({ label, service: z.enum(SERVICE_TYPES) }).strict(),
      z.object({ label, jurisdiction: z.enum(JURISDICTIONS) }).strict(),
      z
        .object({
          label,
          risk: z.object({ kind: z.enum(RISK_KINDS), atLeast: z.enum(['medium', 'high']) }).strict(),
        })
        .strict(),
      z
        .object({
          label,
          fact: z.enum(NUMERIC_FACTS),
          gt: z.number().optional(),
          gte: z.number().optional(),
          lt: z.number().optional(),
          lte: z.number().optional(),
        })
        .strict()
        .refine((r) => [r.gt, r.gte, r.lt, r.lte].filter((v) => v !== undefined).length === 1, {
          error: 'A numeric fact rule needs exactly one of gt, gte, lt, lte.',
        }),
      z.object({ label, fact: z.enum(BOOLEAN_FACTS), is: z.boolean() }).strict(),
      z.object({ label, auCategory: z.enum(AU_SERVICE_CATEGORIES) }).strict(),
      z.object({ label, measure: z.object({ regime: RegimeSchema, id: z.string().trim().min(1).max(120) }).strict() }).strict(),
    ],
    {
      error: () =>
        'Not a valid applicability rule: use always, all, any, not, service, jurisdiction, risk {kind, atLeast}, fact with gt/gte/lt/lte (numbers) or is (booleans), auCategory, or measure {regime, id}.',
    },
  ),
);

// ---------------------------------------------------------------------------------------------
// Scales

const descriptor = z.string().trim().min(20, { error: 'Write a descriptor specific to this question (20+ characters).' }).max(600);

export const MaturityScaleSchema = z
  .object({
    kind: z.literal('maturity'),
    levels: z
      .array(z.object({ level: z.number().int().min(0).max(4), descriptor }).strict())
      .length(5, { error: 'A maturity scale has exactly five levels, 0 to 4.' }),
  })
  .strict()
  .superRefine((scale, ctx) => {
    scale.levels.forEach((l, i) => {
      if (l.level !== i) {
        ctx.addIssue({ code: 'custom', path: ['levels', i, 'level'], message: `List levels in order 0–4; expected level ${i} here.` });
      }
    });
    if (new Set(scale.levels.map((l) => l.descriptor)).size !== scale.levels.length) {
      ctx.addIssue({ code: 'custom', path: ['levels'], message: 'Each maturity level needs its own descriptor; two are identical.' });
    }
  });

const LEGAL_DUTY_OPTIONS = [
  { value: 4, label: 'yes' },
  { value: 2, label: 'partial' },
  { value: 0, label: 'no' },
] as const;

export const LegalDutyScaleSchema = z
  .object({
    kind: z.literal('legal_duty'),
    options: z
      .array(
        z
          .object({
            value: z.union([z.literal(4), z.literal(2), z.literal(0)]),
            label: z.enum(['yes', 'partial', 'no']),
            descriptor,
          })
          .strict(),
      )
      .length(3, { error: 'A legal-duty scale has exactly three options: yes (4), partial (2), no (0).' }),
  })
  .strict()
  .superRefine((scale, ctx) => {
    scale.options.forEach((o, i) => {
      const expected = LEGAL_DUTY_OPTIONS[i];
      if (expected && (o.value !== expected.value || o.label !== expected.label)) {
        ctx.addIssue({
          code: 'custom',
          path: ['options', i],
          message: `List options as yes=4, partial=2, no=0; expected ${expected.label}=${expected.value} here.`,
        });
      }
    });
  });

export const ScaleSchema = z.discriminatedUnion('kind', [MaturityScaleSchema, LegalDutyScaleSchema]);
export type Scale = z.infer<typeof ScaleSchema>;

// ---------------------------------------------------------------------------------------------

/** What every question id looks like, in every bank (HASH-01): the API refuses any other as a path segment. */
export const QUESTION_ID = /^[A-Z]{2,5}-\d{2}$/;
const DOMAIN_ID = /^[A-Z]{2,5}$/;

export const QuestionSchema = z
  .object({
    id: z.string().regex(QUESTION_ID, { error: 'Question ids look like HASH-01: domain id, hyphen, two digits.' }),
    domainId: z.string().regex(DOMAIN_ID),
    text: z.string().trim().min(10).max(600),
    guidance: z.string().trim().min(20).max(2000),
    scale: ScaleSchema,
    weight: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'Weight is 1, 2 or 3.' }),
    /** true, false, or a rule over profile facts deciding when an applicable item is critical. */
    critical: z.union([z.boolean(), ApplicabilityRuleSchema]),
    applicability: ApplicabilityRuleSchema,
    references: z.array(ReferenceSchema).min(1, { error: 'Cite at least one reference.' }).max(20),
    evidenceKinds: z
      .array(EvidenceKindSchema)
      .min(1, { error: 'Accept at least one evidence kind.' })
      .refine((kinds) => new Set(kinds).size === kinds.length, { error: 'List each evidence kind once.' }),
    remediation: z.string().trim().min(20).max(2000),
    targetLevel: z.number().int().min(0).max(4),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (!q.id.startsWith(`${q.domainId}-`)) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `Question ${q.id} must start with its domain id ${q.domainId}-.` });
    }
    if (q.critical !== false && q.targetLevel < 3) {
      ctx.addIssue({ code: 'custom', path: ['targetLevel'], message: `${q.id} can be critical, so its target must be at least 3.` });
    }
    if (q.scale.kind === 'legal_duty' && ![0, 2, 4].includes(q.targetLevel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['targetLevel'],
        message: `${q.id} is a legal duty; its target must be 0, 2 or 4 (normally 4).`,
      });
    }
    q.references.forEach((r, i) => {
      if (r.check !== undefined && r.verified !== (r.check.state === 'primary')) {
        ctx.addIssue({
          code: 'custom',
          path: ['references', i, 'verified'],
          message: `${q.id} ${r.id}: verified must be ${r.check.state === 'primary'} because its check is ${r.check.state} (verified means a primary text was read).`,
        });
      }
    });
    const refKeys = q.references.map((r) => `${r.regime}|${r.id}`);
    if (new Set(refKeys).size !== refKeys.length) {
      ctx.addIssue({ code: 'custom', path: ['references'], message: `${q.id} cites the same regime and id twice; merge them.` });
    }
  });
export type Question = z.infer<typeof QuestionSchema>;

export const DomainSchema = z
  .object({
    id: z.string().regex(DOMAIN_ID, { error: 'Domain ids are 2–5 capital letters, e.g. GOV.' }),
    title: z.string().trim().min(3).max(120),
    description: z.string().trim().min(10).max(600),
  })
  .strict();
export type Domain = z.infer<typeof DomainSchema>;

const SEMVER = /^\d+\.\d+\.\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const FrameworkSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'Framework ids are kebab-case, e.g. hoh-csam.' }),
    version: z.string().regex(SEMVER, { error: 'Versions are semantic, e.g. 1.0.0.' }),
    title: z.string().trim().min(3).max(200),
    publishedAt: z.string().regex(ISO_DATE, { error: 'publishedAt is a date, YYYY-MM-DD.' }),
    /** The date up to which regulatory sources were read for this version. */
    regulationSnapshotDate: z.string().regex(ISO_DATE, { error: 'regulationSnapshotDate is a date, YYYY-MM-DD.' }),
    domains: z.array(DomainSchema).min(1),
    questions: z.array(QuestionSchema).min(1),
  })
  .strict()
  .superRefine((f, ctx) => {
    const domainIds = new Set<string>();
    f.domains.forEach((d, i) => {
      if (domainIds.has(d.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['domains', i, 'id'],
          message: `Domain id ${d.id} is used twice; domain ids must be unique.`,
        });
      }
      domainIds.add(d.id);
    });
    const questionIds = new Set<string>();
    const used = new Set<string>();
    f.questions.forEach((q, i) => {
      if (questionIds.has(q.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'id'],
          message: `Question id ${q.id} is used twice; ids are stable and never reused.`,
        });
      }
      questionIds.add(q.id);
      if (!domainIds.has(q.domainId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'domainId'],
          message: `${q.id} names unknown domain ${q.domainId}; add the domain or fix the id.`,
        });
      }
      used.add(q.domainId);
      // 1.0.0 predates reference checks; every later version says how each reference was checked.
      if (f.version !== '1.0.0') {
        q.references.forEach((r, j) => {
          if (r.check === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['questions', i, 'references', j, 'check'],
              message: `${q.id} ${r.regime} ${r.id} has no check: say whether it was read in the primary text, quoted by a named secondary source, or is unchecked.`,
            });
          }
        });
      }
    });
    f.domains.forEach((d, i) => {
      if (!used.has(d.id)) {
        ctx.addIssue({ code: 'custom', path: ['domains', i], message: `Domain ${d.id} has no questions; remove it or add questions.` });
      }
    });
  });
export type Framework = z.infer<typeof FrameworkSchema>;

// ---------------------------------------------------------------------------------------------
// Mapping between bank versions (content/<framework>/mappings/<from>_to_<to>.json). Every question
// of the old version is accounted for once; the regulatory-change issue builds bank upgrades on it.

const mappingNotes = z.array(z.string().trim().min(5).max(600)).max(40).default([]);
const questionId = z.string().regex(QUESTION_ID, { error: 'Question ids look like HASH-01.' });
const level = z.number().int().min(0).max(4);

export const QuestionMappingSchema = z.discriminatedUnion(
  'kind',
  [
    /** Same question, scale and target: an answer carries over as it is (references may have changed). */
    z.object({ from: questionId, kind: z.literal('unchanged'), to: questionId, changes: mappingNotes }).strict(),
    /** Same intent and scale, new wording: an answer carries over but should be re-read. */
    z.object({ from: questionId, kind: z.literal('reworded'), to: questionId, changes: mappingNotes }).strict(),
    /** The scale changed: each old level maps to a new one. */
    z
      .object({
        from: questionId,
        kind: z.literal('rescaled'),
        to: questionId,
        levelMap: z.object({ '0': level, '1': level, '2': level, '3': level, '4': level }).strict(),
        changes: mappingNotes,
      })
      .strict(),
    /** One question became several; each needs its own answer. */
    z.object({ from: questionId, kind: z.literal('split'), to: z.array(questionId).min(2), changes: mappingNotes }).strict(),
    /** Several questions became one. */
    z.object({ from: questionId, kind: z.literal('merged'), to: questionId, changes: mappingNotes }).strict(),
    /** No longer asked. */
    z.object({ from: questionId, kind: z.literal('retired'), reason: z.string().trim().min(10).max(600) }).strict(),
  ],
  { error: () => 'Each mapped question has kind unchanged, reworded, rescaled (with levelMap), split, merged or retired.' },
);
export type QuestionMapping = z.infer<typeof QuestionMappingSchema>;

export const BankMappingSchema = z
  .object({
    frameworkId: z.string(),
    from: z.string().regex(SEMVER),
    to: z.string().regex(SEMVER),
    questions: z.array(QuestionMappingSchema).min(1),
    /** Questions new in the target version (no predecessor). */
    newQuestions: z.array(questionId),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.questions.forEach((q, i) => {
      if (seen.has(q.from)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'from'], message: `${q.from} is mapped twice; map each old question once.` });
      seen.add(q.from);
    });
  });
export type BankMapping = z.infer<typeof BankMappingSchema>;
