import type { AuServiceCategory, OrganisationProfile, ProfileFactKey, RiskLevel, ServiceType } from './profile.js';
import type { ApplicabilityRule, Regime } from './schema.js';

export const SERVICE_LABELS: Record<ServiceType, string> = {
  user_to_user: 'user-to-user',
  search: 'search',
  file_storage_sharing: 'file-storage/sharing',
  private_messaging: 'private messaging',
  livestreaming: 'livestreaming',
  genai: 'generative-AI',
  enterprise_devices: 'enterprise managed-device',
  network_access: 'network-access (ISP/infrastructure)',
};

const RISK_LABELS = { imageCsam: 'image-based CSAM', csamUrl: 'CSAM URL', grooming: 'grooming' } as const;
const RISK_RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

const BOOLEAN_PHRASES = {
  childrenLikely: ['children are likely to use the service', 'children are not likely to use the service'],
  publicContent: ['content is communicated publicly', 'no content is communicated publicly'],
  e2ee: ['content is end-to-end encrypted', 'no end-to-end encryption'],
  multiRisk: ['multi-risk (medium/high risk of two or more kinds of illegal harm)', 'not multi-risk'],
  anyRisk: ['medium or high risk of some kind of illegal harm', 'low risk of every kind of illegal harm'],
  euEstablished: ['established in the EU', 'not established in the EU'],
  euDesignatedVeryLarge: [
    'designated a very large online platform or search engine by the European Commission',
    'not designated a very large online platform or search engine',
  ],
  microOrSmallEnterprise: ['a micro or small enterprise', 'not a micro or small enterprise'],
  genaiOutputsShared: ['generated outputs are shared between users', 'generated outputs are not shared between users'],
  ageDetermination: ['the service has a means of determining users’ ages', 'no means of determining users’ ages'],
  paymentsTaken: ['payments are taken', 'no payments are taken'],
} as const;

/** How an unrecorded optional fact reads in a reason, so the reader knows what to record. */
const UNRECORDED = {
  childrenLikely: 'whether children are likely to use the service',
  publicContent: 'whether content is communicated publicly',
  e2ee: 'whether content is end-to-end encrypted',
  multiRisk: 'whether the service is multi-risk',
  anyRisk: 'whether there is medium or high risk of any illegal harm',
  euEstablished: 'whether the organisation is established in the EU',
  euDesignatedVeryLarge: 'whether the Commission has designated the service a very large online platform or search engine',
  microOrSmallEnterprise: 'whether the organisation is a micro or small enterprise',
  genaiOutputsShared: 'whether generated outputs are shared between users',
  ageDetermination: 'whether the service has a means of determining users’ ages',
  paymentsTaken: 'whether payments are taken',
} as const;

const AU_CATEGORY_LABELS: Record<AuServiceCategory, string> = {
  social_media: 'social media service',
  relevant_electronic: 'relevant electronic service',
  designated_internet: 'designated internet service',
  search_engine: 'internet search engine service',
  app_distribution: 'app distribution service',
  hosting: 'hosting service',
  internet_carriage: 'internet carriage service',
  equipment: 'equipment provider',
};

/**
 * What a `measure` leaf asks: whether the exposure entry for that measure applies, under the exposure
 * rules of the bank version being evaluated. Supplied by the caller so the rule language stays free of
 * the exposure tables (which themselves are written in it).
 */
export type MeasureLookup = (regime: Regime, id: string) => { applies: boolean; text: string };

const NUMERIC_LABELS = { ukMonthlyUsers: 'UK monthly users', managedDevices: 'managed devices' } as const;
const COMPARISON_WORDS = { gt: 'more than', gte: 'at least', lt: 'fewer than', lte: 'at most' } as const;

/**
 * A reason is built from atoms so that service facts can be merged into one readable phrase
 * ("no user-to-user, search or file-storage/sharing service") instead of a list of negations.
 */
type Atom = { kind: 'service'; present: boolean; service: ServiceType } | { kind: 'text'; text: string };

export interface RuleOutcome {
  value: boolean;
  atoms: Atom[];
  facts: ProfileFactKey[];
}

const number = (n: number) => n.toLocaleString('en-GB');

function union<T>(...lists: T[][]): T[] {
  return [...new Set(lists.flat())];
}

export function evaluateRule(rule: ApplicabilityRule, profile: OrganisationProfile, measures?: MeasureLookup): RuleOutcome {
  const outcome = evaluateUnlabelled(rule, profile, measures);
  if (rule.label === undefined) return outcome;
  const detail = renderAtoms(outcome.atoms);
  const text = outcome.value ? `${rule.label} — ${detail}` : `${rule.label} not triggered (${detail})`;
  return { ...outcome, atoms: [{ kind: 'text', text }] };
}

function evaluateUnlabelled(rule: ApplicabilityRule, profile: OrganisationProfile, measures: MeasureLookup | undefined): RuleOutcome {
  if ('always' in rule) {
    return { value: true, atoms: [{ kind: 'text', text: 'every organisation, whatever its services' }], facts: [] };
  }
  if ('all' in rule) {
    const children = rule.all.map((r) => evaluateRule(r, profile, measures));
    const failing = children.filter((c) => !c.value);
    // When it fails, only the failing conditions explain why; when it holds, all of them do.
    const deciding = failing.length > 0 ? failing : children;
    return {
      value: failing.length === 0,
      atoms: deciding.flatMap((c) => c.atoms),
      facts: union(...deciding.map((c) => c.facts)),
    };
  }
  if ('any' in rule) {
    const branches = rule.any.map((r) => ({ labelled: r.label !== undefined, outcome: evaluateRule(r, profile, measures) }));
    const passing = branches.filter((b) => b.outcome.value);
    // A passing branch named after a measure ("ICU C9") is the more useful explanation; plain
    // branches that also pass would only repeat the same facts.
    const labelled = passing.filter((b) => b.labelled);
    const deciding = (labelled.length > 0 ? labelled : passing.length > 0 ? passing : branches).map((b) => b.outcome);
    return {
      value: passing.length > 0,
      atoms: deciding.flatMap((c) => c.atoms),
      facts: union(...deciding.map((c) => c.facts)),
    };
  }
  if ('not' in rule) {
    // The child's atoms already describe the actual state of the facts, so they read right either way.
    const inner = evaluateRule(rule.not, profile, measures);
    return { ...inner, value: !inner.value };
  }
  if ('service' in rule) {
    const present = profile.services.includes(rule.service);
    return { value: present, atoms: [{ kind: 'service', present, service: rule.service }], facts: ['services'] };
  }
  if ('jurisdiction' in rule) {
    const serves = profile.jurisdictions.includes(rule.jurisdiction);
    const text = serves ? `serves ${rule.jurisdiction}` : `does not serve ${rule.jurisdiction}`;
    return { value: serves, atoms: [{ kind: 'text', text }], facts: ['jurisdictions'] };
  }
  if ('risk' in rule) {
    const level = profile.risk[rule.risk.kind];
    const value = RISK_RANK[level] >= RISK_RANK[rule.risk.atLeast];
    return {
      value,
      atoms: [{ kind: 'text', text: `${level} ${RISK_LABELS[rule.risk.kind]} risk` }],
      facts: ['risk'],
    };
  }
  if ('measure' in rule) {
    if (measures === undefined) {
      // Only content from 1.1.0 on names measures, and its callers pass the bank's exposure.
      throw new Error(
        `A rule names the measure ${rule.measure.regime} ${rule.measure.id}; evaluate it with the exposure of the question's bank version (evaluateQuestion(question, profile, bank)).`,
      );
    }
    const found = measures(rule.measure.regime, rule.measure.id);
    return { value: found.applies, atoms: [{ kind: 'text', text: found.text }], facts: [] };
  }
  if ('auCategory' in rule) {
    const categories = profile.auServiceCategories;
    const label = AU_CATEGORY_LABELS[rule.auCategory];
    if (categories === undefined) {
      return { value: false, atoms: [{ kind: 'text', text: `Australian service category not recorded (is it a ${label}?)` }], facts: ['auServiceCategories'] };
    }
    const value = categories.includes(rule.auCategory);
    return { value, atoms: [{ kind: 'text', text: value ? `Australian ${label}` : `not an Australian ${label}` }], facts: ['auServiceCategories'] };
  }
  if ('is' in rule) {
    const actual = profile[rule.fact];
    if (actual === undefined) {
      return { value: false, atoms: [{ kind: 'text', text: `not recorded: ${UNRECORDED[rule.fact]}` }], facts: [rule.fact] };
    }
    const [yes, no] = BOOLEAN_PHRASES[rule.fact];
    return { value: actual === rule.is, atoms: [{ kind: 'text', text: actual ? yes : no }], facts: [rule.fact] };
  }
  const actual = profile[rule.fact];
  const [op, threshold] = comparison(rule);
  const value =
    op === 'gt' ? actual > threshold : op === 'gte' ? actual >= threshold : op === 'lt' ? actual < threshold : actual <= threshold;
  const words = COMPARISON_WORDS[op];
  if (op === 'gt' && threshold === 0) {
    // "more than 0" is how content says "has any"; say it the way a person would.
    const text = value ? `${number(actual)} ${NUMERIC_LABELS[rule.fact]}` : `no ${NUMERIC_LABELS[rule.fact]}`;
    return { value, atoms: [{ kind: 'text', text }], facts: [rule.fact] };
  }
  return {
    value,
    atoms: [
      {
        kind: 'text',
        text: `${number(actual)} ${NUMERIC_LABELS[rule.fact]} (${value ? '' : 'not '}${words} ${number(threshold)})`,
      },
    ],
    facts: [rule.fact],
  };
}

function comparison(rule: { gt?: number; gte?: number; lt?: number; lte?: number }): [keyof typeof COMPARISON_WORDS, number] {
  if (rule.gt !== undefined) return ['gt', rule.gt];
  if (rule.gte !== undefined) return ['gte', rule.gte];
  if (rule.lt !== undefined) return ['lt', rule.lt];
  if (rule.lte !== undefined) return ['lte', rule.lte];
  // The content schema rejects a comparison without an operator, so this is unreachable for loaded content.
  throw new Error('A numeric fact rule needs one of gt, gte, lt, lte; fix the rule in the framework content.');
}

function joinWords(words: string[], conjunction: 'and' | 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

export function renderAtoms(atoms: Atom[]): string {
  const present = union(atoms.flatMap((a) => (a.kind === 'service' && a.present ? [a.service] : [])));
  const absent = union(atoms.flatMap((a) => (a.kind === 'service' && !a.present ? [a.service] : [])));
  const parts: string[] = [];
  if (present.length > 0) {
    parts.push(
      `${joinWords(
        present.map((s) => SERVICE_LABELS[s]),
        'and',
      )} service`,
    );
  }
  if (absent.length > 0) {
    parts.push(
      `no ${joinWords(
        absent.map((s) => SERVICE_LABELS[s]),
        'or',
      )} service`,
    );
  }
  parts.push(...union(atoms.flatMap((a) => (a.kind === 'text' ? [a.text] : []))));
  return parts.join('; ');
}
