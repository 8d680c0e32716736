import { exposureMap } from './exposure.js';
import type { ExposureEntry, ExposureState } from './exposure.js';
import type { OrganisationProfile, ProfileFactKey } from './profile.js';
import { evaluateRule, renderAtoms } from './rules.js';
import type { MeasureLookup } from './rules.js';
import type { Framework, Question, Regime } from './schema.js';

export interface QuestionApplicability {
  questionId: string;
  applicable: boolean;
  /** Only ever true for an applicable question. */
  critical: boolean;
  /** Human-readable, e.g. "Applies: ICU C9 — file-storage/sharing service". */
  reason: string;
  /** Profile facts (keys of `confirmedAt`) that decided applicability and criticality. */
  decidingFacts: ProfileFactKey[];
}

const STATE_WORDS: Record<ExposureState, string> = {
  applies: 'applies',
  condition_not_met: 'condition not met',
  not_in_force: 'not in force',
  elsewhere: 'another jurisdiction’s rule',
  voluntary: 'voluntary',
};

/** Short names for reasons ("ICU C9 applies; OSA s.66(1)–(2) applies"). */
const REGIME_SHORT: Record<Regime, string> = {
  'ofcom-icu': 'ICU',
  'ofcom-ics': 'ICS',
  'ofcom-pcu': 'Ofcom',
  'uk-osa': 'OSA',
  'uk-si-2026-268': 'SI 2026/268',
  'uk-pca-1978': 'PCA 1978',
  'uk-cja-1988': 'CJA 1988',
  'uk-soa-2003': 'SOA 2003',
  'us-2258a': '18 USC 2258A',
  'us-2258b': '18 USC',
  'au-bose': 'BOSE',
  'au-dis': 'DIS Standard',
  'au-res': 'RES Standard',
  'au-osa-2021': 'OSA 2021 (Cth)',
  'au-codes': 'AU',
  'eu-dsa': 'DSA',
  'eu-csam-interim': 'EU',
  'eu-e-evidence': 'EU',
  'five-eyes-vp': 'Five Eyes',
  other: '',
};

/**
 * Answers `measure` leaves from an exposure map. An exact id is required: the critical conditions name
 * exposure entries, and the linkage spec checks every one resolves.
 */
export function measureLookup(entries: readonly ExposureEntry[]): MeasureLookup {
  return (regime, id) => {
    const entry = entries.find((e) => e.regime === regime && e.id === id);
    if (entry === undefined) {
      throw new Error(`A rule names ${regime} ${id}, which is not in the exposure map of this bank version; name an exposure entry exactly.`);
    }
    const applies = entry.state === undefined ? entry.applies : entry.state === 'applies';
    const name = `${REGIME_SHORT[regime]} ${id}`.trim();
    return { applies, text: `${name} ${applies ? 'applies' : STATE_WORDS[entry.state ?? 'condition_not_met']}` };
  };
}

/**
 * One question for one profile. `bankVersion` is the question's own bank version: from hoh-csam 1.1.0
 * a critical condition can name measures, answered from that version's exposure map (1.0.0 content
 * never does, so callers holding a 1.0.0 question may omit it).
 */
export function evaluateQuestion(
  question: Question,
  profile: OrganisationProfile,
  bankVersion?: string,
  exposure?: readonly ExposureEntry[],
): QuestionApplicability {
  let lookup: MeasureLookup | undefined;
  const measures: MeasureLookup = (regime, id) => {
    if (exposure === undefined && bankVersion === undefined) {
      throw new Error(`${question.id} names measure ${regime} ${id}; pass the question's bank version to evaluateQuestion.`);
    }
    lookup ??= measureLookup(exposure ?? exposureMap(profile, bankVersion));
    return lookup(regime, id);
  };
  const applicability = evaluateRule(question.applicability, profile, measures);
  const facts = new Set<ProfileFactKey>(applicability.facts);
  let reason = `${applicability.value ? 'Applies' : 'Not applicable'}: ${renderAtoms(applicability.atoms)}`;
  let critical = false;

  if (applicability.value) {
    if (typeof question.critical === 'boolean') {
      critical = question.critical;
    } else {
      const criticality = evaluateRule(question.critical, profile, measures);
      critical = criticality.value;
      criticality.facts.forEach((f) => facts.add(f));
      reason += critical
        ? `. Critical because: ${renderAtoms(criticality.atoms)}`
        : `. Not critical for this profile: ${renderAtoms(criticality.atoms)}`;
    }
  }

  return { questionId: question.id, applicable: applicability.value, critical, reason, decidingFacts: [...facts] };
}

/** Pure: one entry per question of the framework, in framework order, under that version's exposure rules. */
export function evaluateApplicability(framework: Framework, profile: OrganisationProfile): QuestionApplicability[] {
  // 1.0.0 never names measures, so its map is not computed for nothing.
  const exposure = framework.version === '1.0.0' ? undefined : exposureMap(profile, framework.version);
  return framework.questions.map((q) => evaluateQuestion(q, profile, framework.version, exposure));
}
