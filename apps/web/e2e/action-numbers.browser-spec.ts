/// <reference lib="dom" />
// Issue 25 item 2: actions are named by short numbers wherever the app shows them, as one
// label that never wraps, even in a narrow window with long titles.
import type { Action } from '@hoh/contracts';
import { defaultProfile } from '@hoh/question-bank';
import type { BrowserContext, Locator, Page } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';

const RUN = Date.now().toString(36);
const OWNER = { name: 'Nadia Numberer', email: `numbers-${RUN}@example.org`, password: 'a numbering passphrase', organisation: `Numbered Actions Ltd ${RUN}` };
const LONG = 'Deploy perceptual hash matching on every upload path, including resumable uploads and the legacy mobile API, before the next board meeting';

const suite = browserTestsSkipped ? describe.skip : describe;

/** The label's computed white-space and how many line boxes it takes: one, if it never wraps. */
const layoutOf = (label: Locator) => label.evaluate((el) => ({ whiteSpace: getComputedStyle(el).whiteSpace, lines: el.getClientRects().length, text: el.textContent }));

suite('action numbers in the web app (issue 25 item 2)', () => {
  let context: BrowserContext | undefined;
  let page: Page;
  const owner = new ApiMember();
  let org = '';
  const made: Action[] = [];

  beforeAll(async () => {
    const me = await owner.signUp(OWNER);
    org = `/api/v1/orgs/${me.memberships[0]!.organisationId}`;
    // The overview lists overdue actions once there is an assessment to judge them against.
    await owner.call('PUT', `${org}/profile`, defaultProfile({ services: ['file_storage_sharing'], ukMonthlyUsers: 50_000, publicContent: true, jurisdictions: ['UK'], risk: { imageCsam: 'high', csamUrl: 'low', grooming: 'low' }, anyRisk: true }));
    await owner.call('POST', `${org}/assessments`, { title: `Numbers ${RUN}` });
    for (const title of [LONG, 'Write the reporting runbook']) made.push(await owner.call<Action>('POST', `${org}/actions`, { title, dueDate: '2026-01-31', ownerId: me.user.id }));

    context = await launch();
    page = await context.newPage();
    // Narrow: long titles wrap over many lines here, the number must not.
    await page.setViewportSize({ width: 720, height: 900 });
    await page.goto(`${baseUrl()}/sign-in`);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  it('shows A-001 and A-002 on the remediation table, each on one line', async () => {
    expect(made.map((a) => a.number)).toEqual(['A-001', 'A-002']);
    await page.goto(`${baseUrl()}/remediation`);
    const label = page.getByTestId(`action-${made[0]!.id}`).locator('.action-number');
    await label.waitFor();
    expect(await layoutOf(label)).toEqual({ whiteSpace: 'nowrap', lines: 1, text: 'A-001' });
    expect(await page.getByTestId(`action-${made[1]!.id}`).locator('.action-number').textContent()).toBe('A-002');
  }, 60_000);

  it('names overdue actions by number on the overview, on one line', async () => {
    await page.goto(`${baseUrl()}/`);
    const label = page.locator('.overdue-list .action-number', { hasText: 'A-001' });
    await label.waitFor();
    expect(await layoutOf(label)).toEqual({ whiteSpace: 'nowrap', lines: 1, text: 'A-001' });
  }, 60_000);
});
