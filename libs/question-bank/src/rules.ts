import type { OrganisationProfile, ProfileFactKey, RiskLevel, ServiceType } from './profile.js';
import type { ApplicabilityRule } from './schema.js';

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
} as const;

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

export function evaluateRule(rule: ApplicabilityRule, profile: OrganisationProfile): RuleOutcome {
  const outcome = evaluateUnlabelled(rule, profile);
  if (rule.label === undefined) return outcome;
  const detail = renderAtoms(outcome.atoms);
  const text = outcome.value ? `${rule.label} — ${detail}` : `${rule.label} not triggered (${detail})`;
  return { ...outcome, atoms: [{ kind: 'text', text }] };
}

function evaluateUnlabelled(rule: ApplicabilityRule, profile: OrganisationProfile): RuleOutcome {
  if ('always' in rule) {
    return { value: true, atoms: [{ kind: 'text', text: 'every organisation, whatever its services' }], facts: [] };
  }
  if ('all' in rule) {
    const children = rule.all.map((r) => evaluateRule(r, profile));
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
    const branches = rule.any.map((r) => ({ labelled: r.label !== undefined, outcome: evaluateRule(r, profile) }));
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
    const inner = evaluateRule(rule.not, profile);
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
  if ('is' in rule) {
    const actual = profile[rule.fact];
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
