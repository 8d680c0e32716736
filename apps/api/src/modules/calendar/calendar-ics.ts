import { createHash } from 'node:crypto';

import ical, { ICalCalendarMethod } from 'ical-generator';

import { actionNumberLabel } from '@hoh/contracts';

/** One dated item of a member's feed (read inside the organisation's tenant transaction). */
export type CalendarItem =
  | { kind: 'action'; id: string; number: number; title: string; due: string; status: 'open' | 'in_progress' | 'blocked' }
  | { kind: 'evidence'; id: string; title: string; expires: string }
  | { kind: 'review'; due: string; lastSignedOn: string };

export interface CalendarInput {
  organisationId: string;
  organisationName: string;
  /** PUBLIC_URL: every link in the feed starts here. */
  publicUrl: string;
  /** DTSTAMP of every event: when this copy of the feed was made. */
  now: Date;
  items: CalendarItem[];
}

const STATUS_WORDS = { open: 'open', in_progress: 'in progress', blocked: 'blocked' } as const;

/** The path in the web app each item opens (the same links the reminders carry, docs/PRODUCT.md §14). */
export function itemPath(item: CalendarItem): string {
  if (item.kind === 'action') return `/remediation?action=${item.id}`;
  if (item.kind === 'evidence') return `/evidence?evidence=${item.id}`;
  return '/';
}

export const absoluteUrl = (publicUrl: string, path: string): string => `${publicUrl.replace(/\/+$/, '')}${path}`;

/**
 * A UID that stays the same for the same item in the same organisation, so a calendar app that
 * fetches the feed again updates the event (a due date moved) instead of adding a second one. Hashed:
 * the UID says nothing about the organisation, and the review's UID stays put when a new sign-off
 * moves its date.
 */
export function itemUid(organisationId: string, item: CalendarItem, host: string): string {
  const key = item.kind === 'review' ? `${organisationId}:review` : `${organisationId}:${item.kind}:${item.id}`;
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${host}`;
}

/** The next calendar day of a YYYY-MM-DD date: all-day events end (exclusively) the day after. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The member's feed as iCalendar text (RFC 5545), one all-day event per dated item: dates here are
 * days, not instants, and an all-day event shows on that day in every time zone.
 */
export function buildCalendar(input: CalendarInput): string {
  const host = new URL(input.publicUrl).hostname;
  const calendar = ical({
    name: `Hand on Heart: ${input.organisationName}`,
    description: `Action due dates, evidence expiries and the annual review of ${input.organisationName}`,
    prodId: { company: 'Hand on Heart', product: 'calendar feed', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    // Calendar apps that honour it look again hourly (Google decides on its own, typically within a day).
    ttl: 60 * 60,
  });
  for (const item of input.items) {
    const url = absoluteUrl(input.publicUrl, itemPath(item));
    const date = item.kind === 'evidence' ? item.expires : item.due;
    const { summary, description } = describe(item, input.organisationName, url);
    calendar.createEvent({
      id: itemUid(input.organisationId, item, host),
      start: date,
      end: nextDay(date),
      allDay: true,
      stamp: input.now,
      summary,
      description,
      url,
    });
  }
  return calendar.toString();
}

function describe(item: CalendarItem, organisationName: string, url: string): { summary: string; description: string } {
  if (item.kind === 'action') {
    const label = actionNumberLabel(item.number);
    return {
      summary: `Action ${label} due: ${item.title}`,
      description: `Remediation action ${label} of ${organisationName} is due today (status: ${STATUS_WORDS[item.status]}). Update it or mark it done: ${url}`,
    };
  }
  if (item.kind === 'evidence') {
    return {
      summary: `Evidence expires: ${item.title}`,
      description: `From today this evidence no longer counts towards the answers it supports, which may cap their score. Renew it with a current document: ${url}`,
    };
  }
  return {
    summary: `Annual review due: ${organisationName}`,
    description: `Twelve months since the last sign-off (${item.lastSignedOn}). Start next year's review from the signed one: ${url}`,
  };
}
