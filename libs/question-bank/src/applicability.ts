import type { OrganisationProfile, ProfileFactKey } from './profile.js';
import { evaluateRule, renderAtoms } from './rules.js';
import type { Framework, Question } from './schema.js';

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

export function evaluateQuestion(question: Question, profile: OrganisationProfile): QuestionApplicability {
  const applicability = evaluateRule(question.applicability, profile);
  const facts = new Set<ProfileFactKey>(applicability.facts);
  let reason = `${applicability.value ? 'Applies' : 'Not applicable'}: ${renderAtoms(applicability.atoms)}`;
  let critical = false;

  if (applicability.value) {
    if (typeof question.critical === 'boolean') {
      critical = question.critical;
    } else {
      const criticality = evaluateRule(question.critical, profile);
      critical = criticality.value;
      criticality.facts.forEach((f) => facts.add(f));
      reason += critical
        ? `. Critical because: ${renderAtoms(criticality.atoms)}`
        : `. Not critical for this profile: ${renderAtoms(criticality.atoms)}`;
    }
  }

  return { questionId: question.id, applicable: applicability.value, critical, reason, decidingFacts: [...facts] };
}

/** Pure: one entry per question of the framework, in framework order. */
export function evaluateApplicability(framework: Framework, profile: OrganisationProfile): QuestionApplicability[] {
  return framework.questions.map((q) => evaluateQuestion(q, profile));
}

export { exposureMap } from './exposure.js';
export type { ExposureEntry } from './exposure.js';
