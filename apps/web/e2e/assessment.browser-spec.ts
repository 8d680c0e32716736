/// <reference lib="dom" />
// page.waitForFunction bodies run in the browser, so this file also sees the DOM types.
import type { BrowserContext, Page } from 'playwright-core';

import { baseUrl, browserTestsSkipped, launch } from './browser.js';

const DEMO = { email: 'demo@handonheart.example', password: 'hand-on-heart-demo' };

const suite = browserTestsSkipped ? describe.skip : describe;

async function signIn(page: Page): Promise<void> {
  await page.goto(`${baseUrl()}/sign-in`);
  await page.getByLabel('Email').fill(DEMO.email);
  await page.getByLabel('Password').fill(DEMO.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
}

async function answerYesNo(page: Page, group: string, answer: 'Yes' | 'No'): Promise<void> {
  await page.getByRole('group', { name: group }).getByLabel(answer, { exact: true }).check();
}

suite('a first assessment in the browser', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await launch();
  });
  afterAll(async () => {
    await context.close();
  });
  beforeEach(async () => {
    await context.clearCookies();
  });

  it('describes the organisation, starts an assessment, answers two questions and sees them saved and the score change', async () => {
    const page = await context.newPage();
    await signIn(page);

    // 1. The organisation profile wizard, with its live preview.
    await page.getByRole('link', { name: 'Organisation profile' }).first().click();
    await page.getByRole('heading', { name: 'Step 1 of 4: Services' }).waitFor();
    await page.getByLabel(/File storage or sharing/).check();
    await page.getByLabel(/User-to-user platform/).check();
    await page.getByLabel('Approximate monthly active users in the UK').fill('1200000');
    await page.getByText(/of 51 questions apply, \d+ critical/).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Step 2 of 4: Users, children and content' }).waitFor();
    await answerYesNo(page, 'Are children likely to use the service?', 'Yes');
    await answerYesNo(page, 'Is any user content communicated publicly?', 'Yes');
    await answerYesNo(page, 'Is any content end-to-end encrypted?', 'No');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Step 3 of 4: Risks' }).waitFor();
    await page.getByRole('group', { name: 'Risk level: Image-based CSAM' }).getByLabel('High').check();
    await answerYesNo(page, 'Medium or high risk for two or more kinds of illegal harm?', 'Yes');
    await answerYesNo(page, 'Medium or high risk for any kind of illegal harm?', 'Yes');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Step 4 of 4: Jurisdictions' }).waitFor();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved').waitFor();
    await page.getByRole('heading', { name: 'Regulatory exposure map' }).waitFor();

    // 2. Start an assessment from the overview.
    await page.getByRole('link', { name: 'Overview' }).first().click();
    const first = page.getByRole('button', { name: 'Start your first assessment' });
    const blank = page.getByRole('button', { name: 'Start a blank assessment' });
    await first.or(blank).first().waitFor();
    await first.or(blank).first().click();
    await page.getByText('Readiness band').waitFor();

    // 3. Answer two questions and watch them save and the score move.
    await page.getByRole('link', { name: 'Continue answering' }).click();
    await page.getByRole('heading', { name: 'Governance and accountability', level: 2 }).waitFor();
    const score = page.getByTestId('questionnaire-score');
    await score.waitFor();
    const before = Number(await score.textContent());

    const questions = page.getByRole('group', { name: /^Your answer for / });
    await questions.nth(0).getByRole('radio', { name: /^Level 4/ }).check();
    await page.getByText('Saved', { exact: true }).first().waitFor();
    await questions.nth(1).getByRole('radio', { name: /^Level 3/ }).check();
    await page.getByText('Saved', { exact: true }).nth(1).waitFor();

    // Claims of 3+ without accepted evidence count as 2, and the card says so.
    await page.getByText(/Claimed 4, counts as 2: no accepted, unexpired evidence\./).waitFor();
    await page.waitForFunction(
      ([testId, was]) => Number(document.querySelector(`[data-testid="${testId}"]`)?.textContent) !== was,
      ['questionnaire-score', before] as const,
    );
    expect(Number(await score.textContent())).toBeGreaterThan(before);

    // The answers survive a reload: they were saved on the server, not just shown.
    await page.reload();
    await page.getByRole('heading', { name: 'Governance and accountability', level: 2 }).waitFor();
    expect(await questions.nth(0).getByRole('radio', { name: /^Level 4/ }).isChecked()).toBe(true);
    expect(await questions.nth(1).getByRole('radio', { name: /^Level 3/ }).isChecked()).toBe(true);
    await page.close();
  });
});
