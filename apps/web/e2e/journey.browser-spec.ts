/// <reference lib="dom" />
// page.waitForFunction bodies run in the browser, so this file also sees the DOM types.
import type { BrowserContext, Page } from 'playwright-core';

import { baseUrl, browserTestsSkipped, launch } from './browser.js';
import { narrowShot, shot } from './shots.js';

const DEMO = { email: 'demo@handonheart.example', password: 'hand-on-heart-demo' };
const RUN = Date.now().toString(36);
const OWNER = { name: 'Casey Ciso', organisation: `Browser Test Ltd ${RUN}`, email: `ciso-${RUN}@example.org`, password: 'a long enough passphrase' };
const AUDITOR = { name: 'Ada Auditor', email: `auditor-${RUN}@example.org`, password: 'another long passphrase' };

const suite = browserTestsSkipped ? describe.skip : describe;

async function answerYesNo(page: Page, group: string, answer: 'Yes' | 'No'): Promise<void> {
  await page.getByRole('group', { name: group }).getByLabel(answer, { exact: true }).check();
}

// The steps build on each other (one new organisation, its owner and then its auditor), so they
// share one signed-in page and run in order.
suite('a new organisation in the browser: profile, assessment, remediation, reports, auditor', () => {
  let owner: BrowserContext;
  let page: Page;
  let assessmentId = '';

  beforeAll(async () => {
    owner = await launch();
    page = await owner.newPage();
  });
  afterAll(async () => {
    await owner.close();
  });

  it('signs up a new organisation, describes it, starts an assessment, answers two questions and sees the score change', async () => {
    await page.goto(`${baseUrl()}/sign-up`);
    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('Organisation', { exact: true }).fill(OWNER.organisation);
    await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'First, describe your organisation' }).waitFor();
    await shot(page, '01-overview-empty');

    // 1. The organisation profile wizard, with its live preview.
    await page.getByRole('link', { name: 'Describe your organisation' }).click();
    await page.getByRole('heading', { name: 'Step 1 of 4: Services' }).waitFor();
    await page.getByLabel(/File storage or sharing/).check();
    await page.getByLabel(/User-to-user platform/).check();
    await page.getByLabel('Approximate monthly active users in the UK').fill('1200000');
    await page.getByText(/of 51 questions apply, \d+ critical/).waitFor();
    await shot(page, '02-profile-wizard');
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

    // 2. Start the first assessment from the overview.
    await page.getByRole('link', { name: 'Overview' }).first().click();
    await page.getByRole('button', { name: 'Start your first assessment' }).click();
    await page.getByText('Readiness band').waitFor();

    // 3. Answer two questions and watch them save and the score move.
    await page.getByRole('link', { name: 'Continue answering' }).click();
    await page.getByRole('heading', { name: 'Governance and accountability', level: 2 }).waitFor();
    assessmentId = new URL(page.url()).searchParams.get('assessment') ?? '';
    expect(assessmentId).toMatch(/^[0-9a-f-]{36}$/);
    const score = page.getByTestId('questionnaire-score');
    await score.waitFor();
    const before = Number(await score.textContent());

    const questions = page.getByRole('group', { name: /^Your answer for / });
    await questions.nth(0).getByRole('radio', { name: /^Level 4/ }).check();
    await page.getByText('Saved', { exact: true }).first().waitFor();
    await questions.nth(1).getByRole('radio', { name: /^Level 3/ }).check();
    await page.getByText('Saved', { exact: true }).nth(1).waitFor();

    await page.getByText(/Claimed 4, counts as 2: no accepted, unexpired evidence\./).waitFor();
    await page.waitForFunction(
      ([testId, was]) => Number(document.querySelector(`[data-testid="${testId}"]`)?.textContent) !== was,
      ['questionnaire-score', before] as const,
    );
    expect(Number(await score.textContent())).toBeGreaterThan(before);
    await shot(page, '03-questionnaire');

    // The answers survive a reload: they were saved on the server, not just shown.
    await page.reload();
    await page.getByRole('heading', { name: 'Governance and accountability', level: 2 }).waitFor();
    expect(await questions.nth(0).getByRole('radio', { name: /^Level 4/ }).isChecked()).toBe(true);
    expect(await questions.nth(1).getByRole('radio', { name: /^Level 3/ }).isChecked()).toBe(true);

    // The overview, from the one dashboard request.
    await page.getByRole('link', { name: 'Overview' }).first().click();
    await page.getByRole('heading', { name: 'Ready to attest?' }).waitFor();
    await page.getByRole('heading', { name: 'Trend' }).waitFor();
    await shot(page, '04-overview');
    await narrowShot(page, '04-overview');
  });

  it('remediation: generates suggestions, moves one action to done with a closing note, offers the CSV export', async () => {
    await page.getByRole('link', { name: 'Remediation' }).first().click();
    await page.getByRole('heading', { name: 'Remediation', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Generate suggestions' }).first().click();
    await page.getByText(/actions suggested/).waitFor();
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toMatch(/\/actions\/export\.csv$/);

    const move = page.getByLabel(/^Move “/).first();
    await move.waitFor();
    await move.selectOption('done');
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Closing note: what was done? (required)').fill('Deployed and verified in production.');
    await shot(page, '05-remediation-done-dialog');
    await dialog.getByRole('button', { name: 'Mark done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Closed: Deployed and verified in production.').waitFor();
    await shot(page, '06-remediation-table');

    // What-if on the first two actions.
    await page.getByLabel(/^What if “/).nth(1).check();
    await page.getByTestId('what-if-result').waitFor();

    await page.getByRole('button', { name: 'Kanban' }).click();
    await page.getByRole('region', { name: /^Done/ }).getByText(/.+/).first().waitFor();
    await shot(page, '07-remediation-kanban');
    await narrowShot(page, '07-remediation-kanban');
  });

  it('reports: issues a report, follows it until ready, and the public verify page recognises its hash', async () => {
    await page.getByRole('link', { name: 'Reports' }).first().click();
    await page.getByRole('button', { name: 'Issue the report' }).click();
    await page.getByText('Report ready').waitFor({ timeout: 45_000 });
    const sha = (await page.locator('.alert--success code').first().textContent())?.trim() ?? '';
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    await page.getByRole('link', { name: /Download the PDF issued/ }).first().waitFor();
    await page.getByText('Manifest, hashes and signature').first().click();
    await shot(page, '08-reports');

    // The public page, in a signed-out context.
    const visitor = await launch();
    const v = await visitor.newPage();
    await v.goto(`${baseUrl()}/sign-in`);
    await v.getByRole('link', { name: 'Verify a report' }).click();
    await v.getByRole('heading', { name: 'Verify a report' }).waitFor();
    await v.getByLabel("Or paste the report's SHA-256").fill(sha);
    await v.getByRole('button', { name: 'Check the hash' }).click();
    await v.getByText('Genuine and unaltered').waitFor();
    await v.getByText(OWNER.organisation).waitFor();
    await shot(v, '09-verify-genuine');
    await v.getByLabel("Or paste the report's SHA-256").fill('0'.repeat(64));
    await v.getByRole('button', { name: 'Check the hash' }).click();
    await v.getByText('Not recognised').waitFor();
    await visitor.close();
  });

  it('an auditor, invited through the UI, sees everything and can change nothing', async () => {
    await page.getByRole('link', { name: 'Members' }).first().click();
    const form = page.getByRole('form', { name: 'Invite a member' });
    await form.getByLabel('Email').fill(AUDITOR.email);
    await form.getByLabel('Role').selectOption('auditor');
    await form.getByRole('button', { name: 'Create invitation' }).click();
    const link = (await page.getByTestId('invitation-link').textContent())?.trim() ?? '';
    expect(link).toContain('/invitations/hoh_inv_');
    await shot(page, '10-members-invitation');

    const second = await launch();
    try {
      const a = await second.newPage();
      await a.goto(link);
      await a.getByLabel('Your name').fill(AUDITOR.name);
      await a.getByLabel('Email').fill(AUDITOR.email);
      await a.getByLabel('Password').fill(AUDITOR.password);
      await a.getByRole('button', { name: 'Create account and join' }).click();
      await a.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
      await a.getByText(OWNER.organisation).first().waitFor();

      // Questionnaire: answers readable, no radios, text boxes or selects.
      await a.goto(`${baseUrl()}/questionnaire?assessment=${assessmentId}`);
      await a.getByRole('heading', { name: 'Governance and accountability', level: 2 }).waitFor();
      await a.getByText('Your role can read every answer but not change them.').waitFor();
      const main = a.getByRole('main');
      expect(await main.getByRole('radio').count()).toBe(0);
      expect(await main.getByRole('textbox').count()).toBe(0);
      expect(await main.getByRole('button', { name: /Change target/ }).count()).toBe(0);
      await shot(a, '11-auditor-questionnaire');

      // Remediation: the actions are there, the write controls are not.
      await a.getByRole('link', { name: 'Remediation' }).first().click();
      await a.getByText('Closed: Deployed and verified in production.').waitFor();
      expect(await main.getByRole('button', { name: /Generate suggestions|Edit title|Override priority/ }).count()).toBe(0);
      expect(await main.getByLabel(/^Move “/).count()).toBe(0);
      expect(await main.getByLabel(/^Owner of “/).count()).toBe(0);
      await main.getByRole('link', { name: 'Export CSV' }).waitFor();
      await shot(a, '12-auditor-remediation');

      // Reports: history and download, no issue button.
      await a.getByRole('link', { name: 'Reports' }).first().click();
      await a.getByRole('link', { name: /Download the PDF issued/ }).first().waitFor();
      expect(await main.getByRole('button', { name: 'Issue the report' }).count()).toBe(0);

      // Members and evidence: read-only.
      await a.getByRole('link', { name: 'Members' }).first().click();
      await a.getByText(OWNER.name).waitFor();
      expect(await main.getByRole('combobox').count()).toBe(0);
      expect(await main.getByRole('button', { name: /Remove|Create invitation/ }).count()).toBe(0);
      await a.close();
    } finally {
      await second.close();
    }
  });

  it("another organisation's address shows not-found", async () => {
    const demo = await launch();
    try {
      const d = await demo.newPage();
      await d.goto(`${baseUrl()}/sign-in`);
      await d.getByLabel('Email').fill(DEMO.email);
      await d.getByLabel('Password').fill(DEMO.password);
      await d.getByRole('button', { name: 'Sign in' }).click();
      await d.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
      await shot(d, '13-demo-overview');
      for (const screen of ['questionnaire', 'review', 'remediation', 'reports']) {
        await d.goto(`${baseUrl()}/${screen}?assessment=${assessmentId}`);
        await d.getByRole('heading', { name: 'Assessment not found' }).waitFor();
      }
      await shot(d, '14-other-organisation-not-found');
      await d.close();
    } finally {
      await demo.close();
    }
  });
});
