/// <reference lib="dom" />
// Issue 28: Settings → Calendar in the production build. An owner opens the page from the
// navigation, makes a private address, and a calendar app's request to it (no cookie) gets the
// organisation's action as an all-day event, read back by ical.js (an independent parser); replacing
// the address stops the old one, and stopping it leaves none that works.
import { randomUUID } from 'node:crypto';

import ICAL from 'ical.js';

import { getCurrentFramework } from '@hoh/question-bank';
import type { BrowserContext, Page } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { expectAccessible } from './axe.js';
import { asDatabaseOwner, baseUrl, browserTestsSkipped, launch, signIn } from './browser.js';

const RUN = Date.now().toString(36);
const OWNER = {
  name: 'Cal Endar',
  email: `calendar-${RUN}@example.org`,
  password: 'a calendar passphrase',
  organisation: `Calendar Ltd ${RUN}`,
};
const DUE = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);

// Needs the database of the server global-setup started (not a server started by hand): asDatabaseOwner says so loudly.
const suite = browserTestsSkipped ? describe.skip : describe;

/** What a calendar app does: GET the address with no cookie. The address names PUBLIC_URL; the test reaches the same server by its IP. */
async function fetchFeed(url: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${baseUrl()}${new URL(url).pathname}`);
  // Read to the end, so no socket is left waiting on an unread body.
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

suite('calendar feed settings in the browser (docs/PRODUCT.md §14.3)', () => {
  let context: BrowserContext | undefined;
  let page: Page;
  const owner = new ApiMember();

  beforeAll(async () => {
    const me = await owner.signUp(OWNER);
    await asDatabaseOwner((db) =>
      db.query(
        `INSERT INTO actions (organisation_id, id, title, owner_id, due_date, created_by, bank_version) VALUES ($1, $2, 'Turn on hash matching', $3, $4, $3, $5)`,
        [me.memberships[0]!.organisationId, randomUUID(), me.user.id, DUE, getCurrentFramework().version],
      ),
    );
    context = await launch();
    page = await context.newPage();
    await signIn(page, OWNER);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  it('makes an address a calendar app can read without signing in, replaces it (the old one stops) and stops it', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calendar' }).click();
    await page.getByRole('heading', { name: 'Calendar', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/calendar');
    await page.getByText(/You have no calendar address/).waitFor();
    await expectAccessible(page, 'calendar settings');

    await page.getByRole('button', { name: 'Make a calendar address' }).click();
    const first = (await page.getByTestId('calendar-url').textContent()) ?? '';
    expect(first).toMatch(/\/api\/v1\/calendar\/hoh_cal_[A-Za-z0-9_-]{43}\.ics$/);
    await expectAccessible(page, 'calendar address made');

    const res = await fetchFeed(first);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/calendar; charset=utf-8');
    const calendar = new ICAL.Component(ICAL.parse(res.text));
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => [e.summary, e.startDate.toString(), e.startDate.isDate])).toEqual([
      ['Action A-001 due: Turn on hash matching', DUE, true],
    ]);

    await page.getByRole('button', { name: 'I have added it, hide it' }).click();
    await page.getByRole('button', { name: 'Replace the address' }).click();
    await page.getByRole('button', { name: 'Replace it' }).click();
    await page.getByText('New address made; the old one no longer works').waitFor();
    const second = (await page.getByTestId('calendar-url').textContent()) ?? '';
    expect(second).not.toBe(first);
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);

    await page.getByRole('button', { name: 'Stop the address' }).click();
    await page.getByText(/Your address no longer works/).waitFor();
    expect((await fetchFeed(second)).status).toBe(404);
    await page.getByRole('button', { name: 'Make a calendar address' }).waitFor();
  });
});
