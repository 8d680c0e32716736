import { actionNumberLabel, type NotificationKind } from '@hoh/contracts';

/**
 * The words and link of each reminder (docs/PRODUCT.md §14), pure so they are tested without a
 * database: the scan gathers the facts inside the organisation's transaction and calls these.
 */
export interface CappedAnswer {
  assessmentTitle: string;
  questionId: string;
  /** The claimed level (3 or 4) that stops being supported. */
  claimed: number;
}

export interface EvidenceFacts {
  id: string;
  title: string;
  expiresAt: Date;
  /** Answers whose claim rests on this evidence alone: without it they are capped at 2 (§4.3). */
  capped: CappedAnswer[];
}

export interface ActionFacts {
  id: string;
  number: number;
  title: string;
  /** YYYY-MM-DD (UTC date, §7.4). */
  dueDate: string;
}

export interface ReminderText {
  title: string;
  body: string;
  link: string;
}

const DAY_MS = 86_400_000;

/** Whole days from `now` until `at`, rounded up (expiring in 6.2 days says 7). */
export const daysUntil = (at: Date, now: Date): number => Math.max(0, Math.ceil((at.getTime() - now.getTime()) / DAY_MS));

/** Whole UTC days between two YYYY-MM-DD dates (b − a). */
const dayDiff = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function capSentence(capped: CappedAnswer[], expired: boolean): string {
  if (capped.length === 0) return expired ? 'No open answer relied on it alone.' : 'No open answer relies on it alone.';
  const names = capped.map((a) => `${a.questionId} in "${a.assessmentTitle}" (claimed ${a.claimed}, capped at 2)`);
  const shown = names.slice(0, 5).join('; ');
  const more = names.length > 5 ? `; and ${plural(names.length - 5, 'more answer')}` : '';
  return `${expired ? 'Its expiry caps' : 'When it expires it will cap'} ${plural(capped.length, 'answer')} with no other counting evidence: ${shown}${more}.`;
}

export function evidenceReminder(kind: Extract<NotificationKind, `evidence_${string}`>, e: EvidenceFacts, now: Date): ReminderText {
  const date = e.expiresAt.toISOString().slice(0, 10);
  const expired = kind === 'evidence_expired';
  const title = expired
    ? `Evidence expired: ${e.title}`
    : `Evidence expires in ${plural(daysUntil(e.expiresAt, now), 'day')}: ${e.title}`;
  const lead = expired
    ? `"${e.title}" expired on ${date} and no longer counts for any answer.`
    : `"${e.title}" expires on ${date}; from then it no longer counts for any answer.`;
  const next = expired ? 'Upload a current version and link it to the answers.' : 'Upload a renewed version before then and link it to the same answers.';
  return { title, body: `${lead} ${capSentence(e.capped, expired)} ${next}`, link: `/evidence?evidence=${e.id}` };
}

export function actionReminder(kind: Extract<NotificationKind, `action_${string}`>, a: ActionFacts, now: Date): ReminderText {
  const label = actionNumberLabel(a.number);
  const today = now.toISOString().slice(0, 10);
  if (kind === 'action_overdue') {
    const late = dayDiff(a.dueDate, today);
    return {
      title: `Overdue: ${label} ${a.title}`,
      body: `${label} "${a.title}" was due on ${a.dueDate} (${plural(late, 'day')} ago) and is still open. Finish it, or record a new due date or an accepted risk.`,
      link: `/remediation?overdue=true&action=${a.id}`,
    };
  }
  const left = dayDiff(today, a.dueDate);
  return {
    title: `Due ${left === 0 ? 'today' : `in ${plural(left, 'day')}`}: ${label} ${a.title}`,
    body: `${label} "${a.title}" is due on ${a.dueDate} and is still open.`,
    link: `/remediation?action=${a.id}`,
  };
}

export interface ReviewDueFacts {
  /** The organisation's last signed assessment. */
  assessmentId: string;
  title: string;
  signedAt: Date;
  /** 12 calendar months after the sign-off (§4.2's month arithmetic). */
  dueAt: Date;
  /** A later assessment already under way, if any. */
  next: { title: string; status: 'draft' | 'in_review' } | null;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const STATUS_WORDS = { draft: 'a draft', in_review: 'in review' } as const;

export function reviewDueReminder(kind: 'review_due_30d' | 'review_due', r: ReviewDueFacts, now: Date): ReminderText {
  const signed = `"${r.title}" was signed off on ${isoDate(r.signedAt)}`;
  const next = r.next
    ? `"${r.next.title}" is under way (${STATUS_WORDS[r.next.status]}): finish it and sign it off.`
    : "Start next year's review from the overview (it carries this year's answers and evidence links over).";
  if (kind === 'review_due') {
    return {
      title: `Annual review due: 12 months since "${r.title}" was signed off`,
      body: `${signed}; the annual review fell due on ${isoDate(r.dueAt)}. ${next}`,
      link: '/',
    };
  }
  return {
    title: `Annual review due in ${plural(daysUntil(r.dueAt, now), 'day')}`,
    body: `${signed}; the annual review falls due on ${isoDate(r.dueAt)}, 12 months later. ${next}`,
    link: '/',
  };
}

export interface ReviewWaitingFacts {
  assessmentId: string;
  title: string;
  submittedAt: Date;
  /** Who submitted it, when the audit log names a person. */
  submittedBy: string | null;
}

export function reviewWaitingReminder(r: ReviewWaitingFacts): ReminderText {
  return {
    title: `Waiting for review: ${r.title}`,
    body: `"${r.title}" was submitted for review on ${isoDate(r.submittedAt)}${r.submittedBy ? ` by ${r.submittedBy}` : ''}. Approve or return its answers (not your own), so the accountable individual can sign it off.`,
    link: `/review?assessment=${r.assessmentId}`,
  };
}

export interface AssignmentFacts {
  assessmentId: string;
  title: string;
  questionIds: string[];
  /** Who assigned them (a former member reads "Someone"). */
  assignedBy: string | null;
}

export function assignmentReminder(a: AssignmentFacts): ReminderText {
  const shown = a.questionIds.slice(0, 8).join(', ');
  const more = a.questionIds.length > 8 ? ` and ${a.questionIds.length - 8} more` : '';
  return {
    title: `Assigned to you: ${plural(a.questionIds.length, 'question')} in ${a.title}`,
    body: `${a.assignedBy ?? 'Someone'} assigned you ${shown}${more} in "${a.title}". Answer ${a.questionIds.length === 1 ? 'it' : 'them'} in the questionnaire; your answers save as you go.`,
    link: `/questionnaire?assessment=${a.assessmentId}`,
  };
}
