import ICAL from 'ical.js';

import { absoluteUrl, buildCalendar, type CalendarItem, itemUid, nextDay } from './calendar-ics.js';

const ORG = '6f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c';
const OTHER_ORG = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const ACTION_ID = 'a1b2c3d4-0000-4000-8000-000000000001';
const EVIDENCE_ID = 'e1b2c3d4-0000-4000-8000-000000000001';
const ACTION: CalendarItem = { kind: 'action', id: ACTION_ID, number: 14, title: 'Block known hashes; at upload, too', due: '2027-02-28', status: 'blocked' };
const EVIDENCE: CalendarItem = { kind: 'evidence', id: EVIDENCE_ID, title: 'Hash-matching policy', expires: '2027-12-31' };
const REVIEW: CalendarItem = { kind: 'review', due: '2028-03-01', lastSignedOn: '2027-03-01' };

const parse = (text: string) =>
  new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, summary: e.summary, start: e.startDate.toString(), end: e.endDate.toString(), allDay: e.startDate.isDate, url: v.getFirstPropertyValue('url') };
  });

describe('calendar feed text (docs/PRODUCT.md §14.3)', () => {
  it('ends an all-day event on the next calendar day, across month, year and leap-day boundaries', () => {
    expect(nextDay('2027-02-28')).toBe('2027-03-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2027-12-31')).toBe('2028-01-01');
  });

  it('gives each item a UID that is the same on every build, differs between items and organisations, and names no id', () => {
    const uid = itemUid(ORG, ACTION, 'hoh.example.org');
    expect(itemUid(ORG, { ...ACTION, due: '2027-04-01', title: 'Renamed' }, 'hoh.example.org')).toBe(uid);
    expect(itemUid(OTHER_ORG, ACTION, 'hoh.example.org')).not.toBe(uid);
    expect(itemUid(ORG, EVIDENCE, 'hoh.example.org')).not.toBe(uid);
    expect(itemUid(ORG, REVIEW, 'hoh.example.org')).toBe(itemUid(ORG, { ...REVIEW, due: '2029-03-01' }, 'hoh.example.org'));
    expect(uid).toMatch(/^[0-9a-f]{32}@hoh\.example\.org$/);
    expect(uid).not.toContain(ORG.slice(0, 8));
  });

  it('writes one all-day event per item with its words and its link under PUBLIC_URL, which an independent parser reads back', () => {
    const text = buildCalendar({ organisationId: ORG, organisationName: 'Acme, Ltd', publicUrl: 'https://hoh.example.org/board/', now: new Date('2027-01-05T10:00:00Z'), items: [ACTION, EVIDENCE, REVIEW] });
    expect(parse(text)).toEqual([
      { uid: itemUid(ORG, ACTION, 'hoh.example.org'), summary: 'Action A-014 due: Block known hashes; at upload, too', start: '2027-02-28', end: '2027-03-01', allDay: true, url: `https://hoh.example.org/board/remediation?action=${ACTION_ID}` },
      { uid: itemUid(ORG, EVIDENCE, 'hoh.example.org'), summary: 'Evidence expires: Hash-matching policy', start: '2027-12-31', end: '2028-01-01', allDay: true, url: `https://hoh.example.org/board/evidence?evidence=${EVIDENCE_ID}` },
      { uid: itemUid(ORG, REVIEW, 'hoh.example.org'), summary: 'Annual review due: Acme, Ltd', start: '2028-03-01', end: '2028-03-02', allDay: true, url: 'https://hoh.example.org/board/' },
    ]);
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Hand on Heart: Acme, Ltd');
    const [action] = calendar.getAllSubcomponents('vevent');
    expect(new ICAL.Event(action).description).toBe(
      `Remediation action A-014 of Acme, Ltd is due today (status: blocked). Update it or mark it done: https://hoh.example.org/board/remediation?action=${ACTION_ID}`,
    );
  });

  it('joins PUBLIC_URL and a path with exactly one slash', () => {
    expect(absoluteUrl('https://hoh.example.org', '/evidence')).toBe('https://hoh.example.org/evidence');
    expect(absoluteUrl('https://hoh.example.org/board//', '/evidence')).toBe('https://hoh.example.org/board/evidence');
  });
});
