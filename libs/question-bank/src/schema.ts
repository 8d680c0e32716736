import { z } from 'zod';
import { JURISDICTIONS, RISK_KINDS, SERVICE_TYPES } from './profile.js';
import type { Jurisdiction, RiskKind, ServiceType } from './profile.js';

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
  'other',
] as const;
export const EvidenceKindSchema = z.enum(EVIDENCE_KINDS, {
  error: () => `Use an evidence kind from: ${EVIDENCE_KINDS.join(', ')} (never media).`,
});
export type EvidenceKind = z.infer<typeof EvidenceKindSchema>;

export const ReferenceSchema = z
  .object({
    regime: RegimeSchema,
    id: z.string().trim().min(1, { error: 'Give the exact measure id or section, e.g. "C9" or "s.66".' }).max(120),
    title: z.string().trim().min(1, { error: 'Give the reference a title.' }).max(300),
    /** false until the measure id and wording are confirmed against the primary text. */
    verified: z.boolean(),
  })
  .strict();
export type Reference = z.infer<typeof ReferenceSchema>;

// ---------------------------------------------------------------------------------------------
// Applicability rule language. JSON-only so content stays data; every leaf names one profile
// fact, which is what lets the evaluator say which facts decided the outcome.

export const NUMERIC_FACTS = ['ukMonthlyUsers', 'managedDevices'] as const;
export type NumericFact = (typeof NUMERIC_FACTS)[number];
export const BOOLEAN_FACTS = ['childrenLikely', 'publicContent', 'e2ee', 'multiRisk', 'anyRisk'] as const;
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
  | (Labelled & { fact: BooleanFact; is: boolean });

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
    ],
    {
      error: () =>
        'Not a valid applicability rule: use always, all, any, not, service, jurisdiction, risk {kind, atLeast}, or fact with gt/gte/lt/lte (numbers) or is (booleans).',
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
    });
    f.domains.forEach((d, i) => {
      if (!used.has(d.id)) {
        ctx.addIssue({ code: 'custom', path: ['domains', i], message: `Domain ${d.id} has no questions; remove it or add questions.` });
      }
    });
  });
export type Framework = z.infer<typeof FrameworkSchema>;
