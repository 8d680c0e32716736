import { absoluteLink } from '../notifications/mail-writer.js';
import { actionReminder, daysUntil, evidenceReminder } from './reminder-text.js';
import { actionThreshold, evidenceThreshold } from './reminders.service.js';

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
