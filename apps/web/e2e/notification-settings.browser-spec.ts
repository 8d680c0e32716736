/// <reference lib="dom" />
// Issue 28, second part: the notification centre and the notification settings page in the
// production build. A reminder is written to the database as the scan would write it (the scan runs
// every 5 minutes; apps/api/test/jobs prove who gets which); the owner sees it in the bell, opens the
// settings page from the panel, chooses the weekly digest for assignments, finds the annual review
// cannot be turned off, and the choice is still there after a reload. Then the reminder's link opens
// its page and it is read.
import { randomUUID } from 'node:crypto';

import type { BrowserContext, Page } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { expectAccessible } from './axe.js';
import { asDatabaseOwner, browserTestsSkipped, launch, signIn } from './browser.js';

const RUN = Date.now().toString(36);
const OWNER = {
  name: 'Nora Notified',
  email: `settings-${RUN}@example.org`,
  password: 'a settings passphrase',
  organisation: `Settings Ltd ${RUN}`,
};
const TITLE = 'Waiting for review: Browser review 2027';

// Needs the database of the server global-setup started (not a server started by hand): asDatabaseOwner says so loudly.
const suite = browserTestsSkipped ? describe.skip : describe;

suite('notification centre and settings in the browser (docs/PRODUCT.md §14)', () => {
  let context: BrowserContext | undefined;
  let page: Page;
  const owner = new ApiMember();

  beforeAll(async () => {
    const me = await owner.signUp(OWNER);
    await asDatabaseOwner((db) =>
      db.query(
        `INSERT INTO notifications (organisation_id, user_id, kind, entity_type, entity_id, title, body, link, created_at)
         VALUES ($1, $2, 'review_waiting', 'assessment', $3, $4, 'Approve or return its answers, so the accountable individual can sign it off.', '/review', now())`,
        [me.memberships[0]!.organisationId, me.user.id, randomUUID(), TITLE],
      ),
    );
    context = await launch();
    page = await context.newPage();
    await signIn(page, OWNER);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  it('opens the settings page from the bell, saves the weekly digest for assignments (the annual review cannot be off), and keeps it after a reload', async () => {
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    await panel.getByRole('link', { name: TITLE }).waitFor();
    await panel.getByRole('link', { name: 'Notification settings' }).click();
    await page.getByRole('heading', { name: 'Notification settings' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/notifications');
    await expectAccessible(page, 'notification settings');

    const reviewDue = page.getByRole('group', { name: 'Annual review due', exact: true });
    expect(await reviewDue.getByRole('radio').count()).toBe(2);
    await reviewDue.getByText('Your role must receive this', { exact: false }).waitFor();
    const assignment = page.getByRole('group', { name: 'Questions assigned to you' });
    await assignment.getByRole('radio', { name: /^Weekly digest/ }).check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Saved. New reminders follow these choices.').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Notification settings' }).waitFor();
    expect(
      await page
        .getByRole('group', { name: 'Questions assigned to you' })
        .getByRole('radio', { name: /^Weekly digest/ })
        .isChecked(),
    ).toBe(true);
    expect(await page.getByRole('button', { name: 'Save preferences' }).isDisabled()).toBe(true);
  }, 60_000);

  it("follows a reminder's link to its page, and it is then read", async () => {
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    await page.getByRole('region', { name: 'Notifications' }).getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { name: 'Review & sign-off' }).waitFor();
    await page.getByRole('button', { name: 'Notifications, none unread' }).waitFor();
  }, 60_000);
});
