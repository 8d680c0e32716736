import type { ActionStatus, Priority } from './remediation.js';
import { parseInstant, withinTwelveMonths } from './time.js';
import type { ScoringInput, ScoringResult } from './types.js';

/**
 * The hand-on-heart check: every fact that contradicts an unqualified attestation. The statement
 * the signer sees is generated from it, and can only be unqualified when the check is empty.
 */

/** Every kind of exception, in the order the check reports them; the contracts, API and PDF use this list. */
export const ATTESTATION_EXCEPTION_KINDS = [
  'critical_below_target',
  'unknown_answer',
  'unsupported_claim',
  'unapproved_not_applicable',
  'unreviewed_answer',
  'overdue_action',
  'risk_accepted',
  'stale_profile_fact',
  'detections_unreported',
] as const;
export type AttestationExceptionKind = (typeof ATTESTATION_EXCEPTION_KINDS)[number];

/** Each kind in words, for every place a person reads it (dashboard, sign-off, board pack, exports). */
export const ATTESTATION_EXCEPTION_KIND_LABELS: Readonly<Record<AttestationExceptionKind, string>> = {
  critical_below_target: 'Critical control below level 3',
  unknown_answer: 'Unanswered or unknown',
  unsupported_claim: 'Claim without counting evidence',
  unapproved_not_applicable: 'Not applicable, not approved',
  unreviewed_answer: 'Not reviewed by a second person',
  overdue_action: 'Overdue action',
  risk_accepted: 'Risk accepted, not fixed',
  stale_profile_fact: 'Profile fact not confirmed in 12 months',
  detections_unreported: 'Detections not all reported',
};

export interface AttestationException {
  /** Stable across reads (kind + subject), so the signer's acknowledgements can name it. */
  id: string;
  kind: AttestationExceptionKind;
  questionId?: string;
  actionId?: string;
  evidenceId?: string;
  message: string;
}

export interface AttestationAction {
  id: string;
  /** The action's short number ("A-014") when the caller knows it: exceptions then name it by number and title. */
  number?: string;
  title: string;
  status: ActionStatus;
  priority: Priority;
  overdue: boolean;
  questionIds: readonly string[];
}

/** The last 12 months' detection figures stored with a reconciliation answer (TRN-06; docs/PRODUCT.md §5.1). */
export interface DetectionFigures {
  detections: number;
  reportable: number;
  reported: number;
  medianHoursToReport: number | null;
}

export interface AttestationInput {
  input: ScoringInput;
  result: ScoringResult;
  actions: readonly AttestationAction[];
  /** Profile fact → ISO date-time it was last confirmed (absent: never confirmed). */
  profileConfirmedAt: Readonly<Record<string, string | undefined>>;
  profileFacts: readonly string[];
  signer: { name: string; role: string };
  organisationName: string;
  assessmentTitle: string;
  /**
   * The questions that take detection figures (FIGURE_QUESTIONS in @hoh/question-bank), each with
   * the figures saved with its answer (null: none). Absent: no such question, nothing to check.
   */
  detectionFigures?: Readonly<Record<string, DetectionFigures | null>>;
}

export interface AttestationCheck {
  exceptions: AttestationException[];
  unqualified: boolean;
  statement: string;
}

const STALE_AFTER_MONTHS = 12;
/** Only the unqualified statement contains this sentence; tests hold the engine to it. */
export const UNQUALIFIED_PHRASE = 'has done everything within its power';

function monthsBefore(iso: string, months: number): number {
  const d = new Date(iso);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

/** The engine's own rule (score.ts): accepted, issued by asOf, and before expiry or 12 months. */
function countingEvidence(e: { status: string; issuedAt: string; expiresAt?: string | null }, asOf: number): boolean {
  if (e.status !== 'accepted') return false;
  const issued = parseInstant(e.issuedAt);
  if (!(issued <= asOf)) return false;
  return e.expiresAt ? asOf < parseInstant(e.expiresAt) : withinTwelveMonths(issued, asOf);
}

function evidenceProblem(e: { status: string; issuedAt: string; expiresAt?: string | null }, asOf: number): string {
  if (e.status === 'rejected') return 'was rejected';
  if (e.status === 'pending') return 'has not been reviewed';
  return countingEvidence(e, asOf) ? 'counts' : 'has expired';
}

export function attestationCheck(a: AttestationInput): AttestationCheck {
  const { input, result } = a;
  const asOf = parseInstant(input.asOf);
  const answers = new Map(input.answers.map((x) => [x.questionId, x]));
  const exceptions: AttestationException[] = [];
  const add = (e: Omit<AttestationException, 'id'>, subject: string) => exceptions.push({ id: `${e.kind}:${subject}`, ...e });

  for (const item of result.items) {
    if (item.status === 'excluded_by_profile') continue;
    const q = item.questionId;
    const answer = answers.get(q);
    if (item.included && item.critical && (item.effectiveLevel ?? 0) < 3) {
      add({ kind: 'critical_below_target', questionId: q, message: `${q} is a critical control and counts at level ${item.effectiveLevel ?? 0}; it must reach at least level 3.` }, q);
    }
    if (item.status === 'unknown' || item.status === 'unanswered') {
      add({ kind: 'unknown_answer', questionId: q, message: item.status === 'unknown' ? `${q} is answered "unknown".` : `${q} has not been answered.` }, q);
    }
    if (answer && typeof answer.value === 'number' && answer.value >= 3 && item.included && !item.hasCountingEvidence) {
      const bad = answer.evidence.find((e) => !countingEvidence(e, asOf));
      add(
        {
          kind: 'unsupported_claim',
          questionId: q,
          ...(bad ? { evidenceId: bad.id } : {}),
          message: bad
            ? `${q} claims level ${answer.value}, but its evidence ${evidenceProblem(bad, asOf)}.`
            : `${q} claims level ${answer.value} with no evidence attached.`,
        },
        q,
      );
    }
    if (item.status === 'na_pending') {
      add({ kind: 'unapproved_not_applicable', questionId: q, message: `${q} is marked not applicable, and no reviewer has approved the justification.` }, q);
    }
    if (answer && answer.value !== 'not_applicable' && item.status !== 'unanswered' && !answer.reviewedByOther) {
      add({ kind: 'unreviewed_answer', questionId: q, message: `${q} has not been reviewed by anyone but its author.` }, q);
    }
  }
  for (const action of a.actions) {
    const named = action.number ? `${action.number} "${action.title}"` : `"${action.title}"`;
    if (action.overdue && (action.priority === 'p1' || action.priority === 'p2')) {
      add({ kind: 'overdue_action', actionId: action.id, message: `Action ${named} (${action.priority.toUpperCase()}) is overdue.` }, action.id);
    }
    if (action.status === 'risk_accepted') {
      add({ kind: 'risk_accepted', actionId: action.id, message: `The risk behind action ${named} has been accepted rather than fixed.` }, action.id);
    }
  }
  for (const [q, figures] of Object.entries(a.detectionFigures ?? {})) {
    const item = result.items.find((i) => i.questionId === q);
    // A question this bank does not ask, or the profile excludes, has nothing to reconcile.
    if (!item || item.status === 'excluded_by_profile') continue;
    const answer = answers.get(q);
    const message = unreportedMessage(q, figures, answer?.value);
    if (message) add({ kind: 'detections_unreported', questionId: q, message }, q);
  }
  const staleBefore = monthsBefore(input.asOf, STALE_AFTER_MONTHS);
  for (const fact of a.profileFacts) {
    const confirmed = a.profileConfirmedAt[fact];
    if (!confirmed || Date.parse(confirmed) < staleBefore) {
      add(
        { kind: 'stale_profile_fact', message: confirmed ? `The profile fact "${fact}" was last confirmed on ${confirmed.slice(0, 10)}, over 12 months ago.` : `The profile fact "${fact}" has never been confirmed.` },
        fact,
      );
    }
  }
  return { exceptions, unqualified: exceptions.length === 0, statement: statementFor(a, exceptions) };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Why the figures contradict an unqualified attestation, in words with the numbers, or undefined when
 * they do not: fewer reported than reportable (whatever the answer says), or a "yes" (4) with no
 * figures to show for it.
 */
function unreportedMessage(q: string, figures: DetectionFigures | null, value: unknown): string | undefined {
  if (figures) {
    if (figures.reported >= figures.reportable) return undefined;
    const gap = figures.reportable - figures.reported;
    return `${q}: ${plural(figures.reportable, 'reportable detection', 'reportable detections')}, ${figures.reported} reported: ${gap} not reported in the last 12 months.`;
  }
  if (value === 4) return `${q} answers yes, every detection actioned and every reportable one reported, but no figures back it: record the last 12 months' detections, reportable ones and reports made.`;
  return undefined;
}

function statementFor(a: AttestationInput, exceptions: readonly AttestationException[]): string {
  const who = `I, ${a.signer.name}, ${a.signer.role} of ${a.organisationName},`;
  if (exceptions.length === 0) {
    return (
      `${who} confirm that, to the best of my knowledge and belief, ${a.organisationName} ${UNQUALIFIED_PHRASE} to ensure that child sexual abuse material ` +
      `is not stored, shared, processed or traded on its platforms or devices, and that the answers and evidence in "${a.assessmentTitle}" are accurate and complete.`
    );
  }
  const list = exceptions.map((e, i) => `${i + 1}. ${e.message}`).join('\n');
  return (
    `${who} confirm that, to the best of my knowledge and belief, the answers and evidence in "${a.assessmentTitle}" are accurate. ` +
    `I cannot give an unqualified attestation: the following ${exceptions.length} exception${exceptions.length === 1 ? ' is' : 's are'} open, and I acknowledge each of them:\n${list}`
  );
}
