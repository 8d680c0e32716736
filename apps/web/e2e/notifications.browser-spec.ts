/// <reference lib="dom" />
// Issue 28: the notification bell in the header of the production build. Reminders come from the
// scheduled scan (apps/api/test/jobs prove who gets what); here a member signs in, finds the bell
// with its count, opens the panel, and closes it again, with the page still accessible.
import type { BrowserContext, Page } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { expectAccessible } from './axe.js';
import { browserTestsSkipped, launch, signIn } from './browser.js';

const RUN = Date.now().toString(36);
const OWNER = { name: 'Bella Bell', email: `bell-${RUN}@example.org`, password: 'a notification passphrase', organisation: `Bell Ringers Ltd ${RUN}` };

const suite = browserTestsSkipped ? describe.skip : describe;

suite('notification bell (issue 28)', () => {
  let context: BrowserContext | undefined;
  let page: Page;
  const owner = new ApiMember();

  beforeAll(async () => {
    await owner.signUp(OWNER);
    context = await launch();
    page = await context.newPage();
    await signIn(page, OWNER);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  it('shows the bell with no unread count for a new member, opens the panel with what will appear there, and closes on Escape', async () => {
    const bell = page.getByRole('button', { name: 'Notifications, none unread' });
    await bell.waitFor();
    expect(await bell.getAttribute('aria-expanded')).toBe('false');
    await bell.click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    await panel.getByText('Reminders about expiring evidence, due actions, reviews and assignments appear here.', { exact: false }).waitFor();
    expect(await panel.getByRole('button', { name: 'Mark all read' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'notification panel');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await bell.getAttribute('aria-expanded')).toBe('false');
  }, 60_000);
});
