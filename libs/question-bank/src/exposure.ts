import { z } from 'zod';
import exposure110 from '../content/hoh-csam/1.1.0/exposure.json' with { type: 'json' };
import exposure120 from '../content/hoh-csam/1.2.0/exposure.json' with { type: 'json' };
import { exposureMap100 } from './exposure-1.0.0.js';
import { JURISDICTIONS } from './profile.js';
import type { Jurisdiction, OrganisationProfile } from './profile.js';
import { evaluateRule, renderAtoms } from './rules.js';
import { ApplicabilityRuleSchema, ReferenceCheckSchema, ReferenceSchema } from './schema.js';
import type { Reference } from './schema.js';

/**
 * Where a measure stands for one organisation (hoh-csam 1.1.0 on):
 * - `applies`: it serves the measure's jurisdiction and every condition holds;
 * - `condition_not_met`: right jurisdiction, but a service, size, risk or other condition is not met;
 * - `not_in_force`: the provision exists but is not in force (e.g. the search limbs of OSA s.66);
 * - `elsewhere`: another jurisdiction's rule, and the organisation does not serve it;
 * - `voluntary`: principles, guidance and industry practice (`applies` says whether it is relevant).
 */
export const EXPOSURE_STATES = ['applies', 'condition_not_met', 'not_in_force', 'elsewhere', 'voluntary'] as const;
export type ExposureState = (typeof EXPOSURE_STATES)[number];

export interface ExposureEntry extends Reference {
  /** Binding and applicable (or, for a voluntary measure, relevant) to this organisation. */
  applies: boolean;
  reason: string;
  /** Absent for hoh-csam 1.0.0, whose map predates states. */
  state?: ExposureState;
}

/** One measure of a versioned exposure table (content/<framework>/<version>/exposure.json). */
export const ExposureMeasureSchema = ReferenceSchema.extend({
  check: ReferenceCheckSchema,
  /** The jurisdiction whose law or regulator sets it; null when it is not tied to one (voluntary principles). */
  jurisdiction: z.enum(JURISDICTIONS).nullable(),
  /** Conditions besides the jurisdiction (services, size, risk, profile facts). */
  rule: ApplicabilityRuleSchema,
  voluntary: z.literal(true).optional(),
  inForce: z.literal(false).optional(),
  /** Context for the reader that the rule cannot express. */
  note: z.string().trim().min(3).max(300).optional(),
})
  .strict()
  .refine((m) => m.verified === (m.check.state === 'primary'), {
    error: 'verified must be true exactly when the check is primary.',
  });
export type ExposureMeasure = z.infer<typeof ExposureMeasureSchema>;

export const ExposureTableSchema = z
  .object({
    frameworkId: z.string(),
    version: z.string(),
    description: z.string(),
    measures: z.array(ExposureMeasureSchema).min(1),
  })
  .strict()
  .superRefine((t, ctx) => {
    const keys = t.measures.map((m) => `${m.regime} ${m.id}`);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: ['measures', i], message: `${k} is listed twice; merge the entries.` });
    });
  });
export type ExposureTable = z.infer<typeof ExposureTableSchema>;

const JURISDICTION_NAMES: Record<Jurisdiction, string> = { UK: 'UK', EU: 'EU', US: 'US', AU: 'Australian' };

/** Evaluates one measure of a versioned table for a profile. Pure. */
export function exposureEntry(measure: ExposureMeasure, profile: OrganisationProfile): ExposureEntry {
  const { rule, note, inForce, voluntary, jurisdiction, ...reference } = measure;
  const outcome = evaluateRule(rule, profile);
  const detail = renderAtoms(outcome.atoms);
  const suffix = note === undefined ? '' : ` (${note})`;
  const served = jurisdiction === null || profile.jurisdictions.includes(jurisdiction);
  if (voluntary === true) {
    const relevant = served && outcome.value;
    return { ...reference, applies: relevant, state: 'voluntary', reason: `Voluntary, ${relevant ? 'relevant' : 'not relevant'}: ${detail}${suffix}` };
  }
  if (jurisdiction !== null && !served) {
    return {
      ...reference,
      applies: false,
      state: 'elsewhere',
      reason: `Elsewhere: a ${JURISDICTION_NAMES[jurisdiction]} obligation, and the organisation does not serve ${jurisdiction}`,
    };
  }
  const where = jurisdiction === null ? '' : `serves ${jurisdiction}; `;
  if (inForce === false) {
    const context = outcome.value ? `would otherwise apply: ${where}${detail}` : `and would not apply: ${detail}`;
    return { ...reference, applies: false, state: 'not_in_force', reason: `Not in force${suffix}; ${context}` };
  }
  if (!outcome.value) {
    return { ...reference, applies: false, state: 'condition_not_met', reason: `Condition not met: ${detail}${suffix}` };
  }
  return { ...reference, applies: true, state: 'applies', reason: `Applies: ${where}${detail}${suffix}` };
}

// Versions whose exposure rules are data, each validated on first use (exposure.spec.ts and the bank
// specs validate every one in every run). 1.0.0's rules are code (exposure-1.0.0.ts).
const EXPOSURE_DATA: Readonly<Record<string, unknown>> = { '1.1.0': exposure110, '1.2.0': exposure120 };
const tables = new Map<string, ExposureTable>();

/** A bank version's exposure table (content/hoh-csam/<version>/exposure.json), validated on first use. */
export function exposureTable(version: string): ExposureTable {
  const cached = tables.get(version);
  if (cached !== undefined) return cached;
  const data = EXPOSURE_DATA[version];
  if (data === undefined) {
    throw new Error(`No exposure table for hoh-csam ${version}; add content/hoh-csam/${version}/exposure.json and list it in EXPOSURE_DATA (exposure.ts).`);
  }
  const result = ExposureTableSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid content/hoh-csam/${version}/exposure.json; fix these and reload:\n${problems}`);
  }
  if (result.data.version !== version) {
    throw new Error(`content/hoh-csam/${version}/exposure.json declares version ${result.data.version}; make it match the folder it lives in.`);
  }
  tables.set(version, result.data);
  return result.data;
}

/** hoh-csam 1.1.0's exposure table, validated on first use (exposure.spec.ts validates it in every run). */
export function exposureTable110(): ExposureTable {
  return exposureTable('1.1.0');
}

/** Bank versions with exposure rules; each assessment reads the map of its own bank version. */
export const EXPOSURE_VERSIONS = ['1.0.0', '1.1.0', '1.2.0'] as const;

/**
 * The regulatory exposure of an organisation under one bank version's rules: one entry per regime ×
 * measure, with why. A 1.0.0 assessment keeps 1.0.0's map (also in a report re-issued later).
 * The default is 1.0.0, the map every caller got before maps were versioned.
 */
export function exposureMap(profile: OrganisationProfile, version: string = '1.0.0'): ExposureEntry[] {
  if (version === '1.0.0') return exposureMap100(profile);
  if (!(version in EXPOSURE_DATA)) {
    throw new Error(`No exposure rules for hoh-csam ${version}; add them with the bank version (content/hoh-csam/${version}/exposure.json).`);
  }
  return exposureTable(version).measures.map((m) => exposureEntry(m, profile));
}
