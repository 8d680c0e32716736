import { absoluteLink } from '../notifications/mail-writer.js';
import { type DigestFacts, weeklyDigest, weekStartOf } from './digest-text.js';
import { actionReminder, assignmentReminder, daysUntil, evidenceReminder, reviewDueReminder, reviewWaitingReminder } from './reminder-text.js';
import { actionThreshold, evidenceThreshold, reviewThreshold } from './reminders.service.js';

const NOW = new Date('2027-03-10T09:00:00Z');
const at = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

describe('reminder thresholds (docs/PRODUCT.md §14)', () => {
  it('puts evidence at 30 days, 7 days or expired, and nowhere outside the windows', () => {
    expect(evidenceThreshold(at(31), NOW)).toBeNull();
    expect(evidenceThreshold(at(30), NOW)).toBe('evidence_30d');
    expect(evidenceThreshold(at(7.01), NOW)).toBe('evidence_30d');
    expect(evidenceThreshold(at(7), NOW)).toBe('evidence_7d');
    expect(evidenceThreshold(at(0), NOW)).toBe('evidence_expired');
    expect(evidenceThreshold(at(-13.9), NOW)).toBe('evidence_expired');
    // Past the lookback an expiry is no longer announced (a first deployment does not mail the past).
    expect(evidenceThreshold(at(-14), NOW)).toBeNull();
  });

  it('puts an open action at 7 days (due today included) or overdue by UTC date', () => {
    expect(actionThreshold('2027-03-18', NOW)).toBeNull();
    expect(actionThreshold('2027-03-17', NOW)).toBe('action_7d');
    expect(actionThreshold('2027-03-10', NOW)).toBe('action_7d');
    expect(actionThreshold('2027-03-09', NOW)).toBe('action_overdue');
    expect(actionThreshold('2027-02-24', NOW)).toBe('action_overdue');
    expect(actionThreshold('2027-02-23', NOW)).toBeNull();
  });
});

describe('reminder words and links', () => {
  it('counts days left rounded up, so 6.2 days says 7', () => {
    expect(daysUntil(at(6.2), NOW)).toBe(7);
    expect(daysUntil(at(-1), NOW)).toBe(0);
  });

  it('names the answers an expiring piece of evidence will cap, at most five, and links to the evidence', () => {
    const capped = Array.from({ length: 7 }, (_, i) => ({ assessmentTitle: 'UK review 2027', questionId: `GOV-0${i + 1}`, claimed: 3 + (i % 2) }));
    const text = evidenceReminder('evidence_7d', { id: 'e1', title: 'Hash list contract', expiresAt: at(6.2), capped }, NOW);
    expect(text.title).toBe('Evidence expires in 7 days: Hash list contract');
    expect(text.body).toContain('"Hash list contract" expires on 2027-03-16');
    expect(text.body).toContain('When it expires it will cap 7 answers with no other counting evidence: GOV-01 in "UK review 2027" (claimed 3, capped at 2); GOV-02');
    expect(text.body).toContain('; and 2 more answers.');
    expect(text.link).toBe('/evidence?evidence=e1');
    const expired = evidenceReminder('evidence_expired', { id: 'e1', title: 'Hash list contract', expiresAt: at(-1), capped: [] }, NOW);
    expect(expired.title).toBe('Evidence expired: Hash list contract');
    expect(expired.body).toContain('No open answer relied on it alone.');
  });

  it('labels actions by number, says how late, and links to the remediation list', () => {
    const due = actionReminder('action_7d', { id: 'a1', number: 14, title: 'Report to NCMEC', dueDate: '2027-03-10' }, NOW);
    expect(due).toEqual({ title: 'Due today: A-014 Report to NCMEC', body: 'A-014 "Report to NCMEC" is due on 2027-03-10 and is still open.', link: '/remediation?action=a1' });
    const late = actionReminder('action_overdue', { id: 'a1', number: 1014, title: 'Report to NCMEC', dueDate: '2027-03-09' }, NOW);
    expect(late.title).toBe('Overdue: A-1014 Report to NCMEC');
    expect(late.body).toContain('(1 day ago)');
    expect(late.link).toBe('/remediation?overdue=true&action=a1');
  });

  it('builds mail links under PUBLIC_URL, path prefix included, without doubling slashes', () => {
    expect(absoluteLink('https://hoh.example.org', '/evidence?evidence=e1')).toBe('https://hoh.example.org/evidence?evidence=e1');
    expect(absoluteLink('https://hoh.example.org/board/', '/remediation')).toBe('https://hoh.example.org/board/remediation');
  });
});

describe('review, submission and assignment reminders (docs/PRODUCT.md §14)', () => {
  it('puts the annual review at 30 days before, due, and nowhere past the lookback', () => {
    expect(reviewThreshold(at(31), NOW)).toBeNull();
    expect(reviewThreshold(at(30), NOW)).toBe('review_due_30d');
    expect(reviewThreshold(at(0.5), NOW)).toBe('review_due_30d');
    expect(reviewThreshold(at(0), NOW)).toBe('review_due');
    expect(reviewThreshold(at(-14), NOW)).toBeNull();
  });

  it('says when the review falls due and whether the next one is under way, linking to the overview', () => {
    const facts = { assessmentId: 'a1', title: 'UK review 2026', signedAt: new Date('2026-03-30T10:00:00Z'), dueAt: new Date('2027-03-30T10:00:00Z'), next: null };
    const soon = reviewDueReminder('review_due_30d', facts, NOW);
    expect(soon.title).toBe('Annual review due in 21 days');
    expect(soon.body).toBe(
      `"UK review 2026" was signed off on 2026-03-30; the annual review falls due on 2027-03-30, 12 months later. Start next year's review from the overview (it carries this year's answers and evidence links over).`,
    );
    expect(soon.link).toBe('/');
    const due = reviewDueReminder('review_due', { ...facts, next: { title: 'UK review 2027', status: 'draft' } }, NOW);
    expect(due.title).toBe('Annual review due: 12 months since "UK review 2026" was signed off');
    expect(due.body).toContain('fell due on 2027-03-30. "UK review 2027" is under way (a draft): finish it and sign it off.');
  });

  it('names who submitted and who assigned, and links to the review and the questionnaire of that assessment', () => {
    const waiting = reviewWaitingReminder({ assessmentId: 'a1', title: 'UK review 2027', submittedAt: NOW, submittedBy: 'Ada' });
    expect(waiting).toEqual({
      title: 'Waiting for review: UK review 2027',
      body: '"UK review 2027" was submitted for review on 2027-03-10 by Ada. Approve or return its answers (not your own), so the accountable individual can sign it off.',
      link: '/review?assessment=a1',
    });
    const ids = Array.from({ length: 10 }, (_, i) => `GOV-${String(i + 1).padStart(2, '0')}`);
    const many = assignmentReminder({ assessmentId: 'a1', title: 'UK review 2027', questionIds: ids, assignedBy: null });
    expect(many.title).toBe('Assigned to you: 10 questions in UK review 2027');
    expect(many.body).toBe('Someone assigned you GOV-01, GOV-02, GOV-03, GOV-04, GOV-05, GOV-06, GOV-07, GOV-08 and 2 more in "UK review 2027". Answer them in the questionnaire; your answers save as you go.');
    expect(many.link).toBe('/questionnaire?assessment=a1');
  });
});

describe('weekly digest (docs/PRODUCT.md §14)', () => {
  const facts: DigestFacts = {
    organisationName: 'Acme Hosting',
    weekStart: new Date('2027-03-08T00:00:00Z'),
    assessment: { id: 'a1', title: 'UK review 2027', status: 'draft', score: 74.6, band: 'amber' },
    previous: { score: 70, band: 'amber' },
    week: { answers: 12, evidenceAdded: 1, actionsClosed: 0 },
    overdue: { count: 7, items: [{ number: 3, title: 'Report to NCMEC', dueDate: '2027-03-01' }] },
    expiring: { count: 0, items: [] },
  };

  it('starts the week on Monday 00:00 UTC', () => {
    expect(weekStartOf(new Date('2027-03-08T00:00:00Z')).toISOString()).toBe('2027-03-08T00:00:00.000Z');
    expect(weekStartOf(new Date('2027-03-14T23:59:59Z')).toISOString()).toBe('2027-03-08T00:00:00.000Z');
    expect(weekStartOf(NOW).toISOString()).toBe('2027-03-08T00:00:00.000Z');
  });

  it('gives score, band and the change since last week, what happened, what is overdue or expiring, and the held reminders', () => {
    const text = weeklyDigest(facts, [{ title: 'Assigned to you: 1 question in UK review 2027', url: 'https://hoh.example.org/questionnaire?assessment=a1' }]);
    expect(text.title).toBe('Weekly digest: Acme Hosting, week of 2027-03-08');
    expect(text.link).toBe('/');
    expect(text.body.split('\n')).toEqual([
      'Acme Hosting, week of 2027-03-08.',
      '',
      'Score: 74.6 (amber, partially ready) on "UK review 2027" (draft).',
      "Since last week's digest: +5 points (70 → 74.6).",
      'This week: 12 answers saved, 1 piece of evidence added, 0 actions closed.',
      '',
      'Overdue actions (7):',
      '  - A-003 Report to NCMEC (due 2027-03-01)',
      '  …and 6 more.',
      'Evidence expiring or just expired: none in the next 30 days.',
      '',
      'Held back for this digest (1):',
      '  - Assigned to you: 1 question in UK review 2027: https://hoh.example.org/questionnaire?assessment=a1',
    ]);
  });

  it('says how to get a score before the first assessment, and names a band change', () => {
    expect(weeklyDigest({ ...facts, assessment: null, previous: null }, []).body).toContain('No assessment yet: start one from the overview to see a score here.');
    const moved = weeklyDigest({ ...facts, assessment: { ...facts.assessment!, score: 76, band: 'green' } }, []).body;
    expect(moved).toContain("Since last week's digest: +6 points (70 → 76); band amber → green.");
  });
});
