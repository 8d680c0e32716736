import { actionNumberLabel } from '@hoh/contracts';
import { type Band, formatScore, scoreMovement } from '@hoh/scoring-engine';

import type { ReminderText } from './reminder-text.js';

/**
 * The weekly digest's words (docs/PRODUCT.md §14), pure so they are tested without a database: the
 * digest job gathers the facts inside the organisation's transaction and calls this.
 */
export interface DigestFacts {
  organisationName: string;
  /** Monday 00:00 UTC of the week the digest is for. */
  weekStart: Date;
  /** The newest assessment, scored now; null before the first one. */
  assessment: { id: string; title: string; status: 'draft' | 'in_review' | 'signed'; score: number; band: Band } | null;
  /** What last week's digest reported for the same assessment; null on the first digest or a new assessment. */
  previous: { score: number; band: Band } | null;
  /** What happened in the seven days before this digest. */
  week: { answers: number; evidenceAdded: number; actionsClosed: number };
  overdue: { count: number; items: { number: number; title: string; dueDate: string }[] };
  /** Evidence whose effective expiry (§4.2) is within 30 days or passed in the last 7. */
  expiring: { count: number; items: { title: string; expiresAt: Date; expired: boolean }[] };
}

export interface HeldItem {
  title: string;
  /** Absolute link (under PUBLIC_URL): the digest is read in a mail client. */
  url: string;
}

const BAND_WORDS: Record<Band, string> = { green: 'green, ready', amber: 'amber, partially ready', red: 'red, not ready' };
const STATUS_WORDS = { draft: 'draft', in_review: 'in review', signed: 'signed' } as const;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
/** How many items of each list the digest names; the count says how many more there are. */
export const DIGEST_LIST_SIZE = 5;

function scoreLines(f: DigestFacts): string[] {
  if (!f.assessment) return ['No assessment yet: start one from the overview to see a score here.'];
  const a = f.assessment;
  const lines = [`Score: ${formatScore(a.score)} (${BAND_WORDS[a.band]}) on "${a.title}" (${STATUS_WORDS[a.status]}).`];
  if (f.previous) {
    const move = scoreMovement(f.previous.score, a.score);
    const band = f.previous.band === a.band ? '' : `; band ${f.previous.band} → ${a.band}`;
    lines.push(
      move.direction === 'unchanged' || move.delta === null
        ? `Since last week's digest: unchanged${band}.`
        : `Since last week's digest: ${move.delta > 0 ? '+' : ''}${move.delta} points (${formatScore(f.previous.score)} → ${formatScore(a.score)})${band}.`,
    );
  }
  return lines;
}

function listLines<T>(heading: string, count: number, items: T[], line: (item: T) => string, none: string): string[] {
  if (count === 0) return [`${heading}: ${none}`];
  const more = count > items.length ? [`  …and ${count - items.length} more.`] : [];
  return [`${heading} (${count}):`, ...items.map((i) => `  - ${line(i)}`), ...more];
}

/** The digest one member receives: the organisation's week, then their own held-back reminders. */
export function weeklyDigest(f: DigestFacts, held: HeldItem[]): ReminderText {
  const w = f.week;
  const lines = [
    `${f.organisationName}, week of ${isoDate(f.weekStart)}.`,
    '',
    ...scoreLines(f),
    `This week: ${plural(w.answers, 'answer')} saved, ${plural(w.evidenceAdded, 'piece')} of evidence added, ${plural(w.actionsClosed, 'action')} closed.`,
    '',
    ...listLines('Overdue actions', f.overdue.count, f.overdue.items, (a) => `${actionNumberLabel(a.number)} ${a.title} (due ${a.dueDate})`, 'none.'),
    ...listLines(
      'Evidence expiring or just expired',
      f.expiring.count,
      f.expiring.items,
      (e) => `${e.title} (${e.expired ? 'expired' : 'expires'} ${isoDate(e.expiresAt)})`,
      'none in the next 30 days.',
    ),
  ];
  if (held.length > 0) lines.push('', `Held back for this digest (${held.length}):`, ...held.map((h) => `  - ${h.title}: ${h.url}`));
  return { title: `Weekly digest: ${f.organisationName}, week of ${isoDate(f.weekStart)}`, body: lines.join('\n'), link: '/' };
}

/** Monday 00:00 UTC of the week `now` falls in. */
export function weekStartOf(now: Date): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * 86_400_000);
}
