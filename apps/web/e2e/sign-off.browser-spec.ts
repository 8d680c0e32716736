import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { defaultProfile } from '@hoh/question-bank';
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';

import { axeReport, expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';
import { shot } from './shots.js';

/**
 * Issue 24, items 6 and 7 and the wording, in Chromium against the production build: the owner
 * signs deliberately (numbered exceptions, one tick, agreement, password; Tabs counted), a wrong
 * password signs nothing and keeps the session, the next step issues and downloads the board report;
 * the locked questionnaire says it is signed; an invitation says what it is and fixes the email.
 * Fails if any of it regresses.
 */
const RUN = randomBytes(3).toString('hex');
const OWNER = { name: 'Sam Signer', organisationName: `Deliberate Ltd ${RUN}`, email: `signer-${RUN}@example.org`, password: 'a deliberate passphrase' };
const AUDITOR = { name: 'Ada Auditor', email: `auditor-${RUN}@example.org`, password: 'another long passphrase' };
/** Target from issue 24: from "I acknowledge all" to the agreement in at most 3 Tabs (was 23). */
const MAX_TABS_TO_AGREEMENT = 3;

const suite = browserTestsSkipped ? describe.skip : describe;

suite('deliberate sign-off and invitations that say what they are', () => {
  let context: BrowserContext;
  let page: Page;
  let api: APIRequestContext;
  let csrf = '';
  let orgId = '';
  let assessmentId = '';
  let exceptionCount = 0;

  // Set-up through the API with the browser's own cookie jar: the screens under test are the point.
  const send = async (method: 'post' | 'put', path: string, data?: unknown, headers: Record<string, string> = {}) => {
    const res = await api[method](`${baseUrl()}${path}`, { data, headers: { 'X-CSRF-Token': csrf, ...headers } });
    if (!res.ok()) throw new Error(`${method.toUpperCase()} ${path} → ${res.status()}: ${await res.text()}`);
    return res.status() === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
  };

  beforeAll(async () => {
    context = await launch();
    api = context.request;
    const me = await send('post', '/api/v1/auth/sign-up', OWNER);
    csrf = me!['csrfToken'] as string;
    orgId = (me!['memberships'] as { organisationId: string }[])[0]!.organisationId;
    const org = `/api/v1/orgs/${orgId}`;
    await send(
      'put',
      `${org}/profile`,
      defaultProfile({
        services: ['file_storage_sharing', 'user_to_user'],
        ukMonthlyUsers: 1_200_000,
        publicContent: true,
        jurisdictions: ['UK', 'EU'],
        risk: { imageCsam: 'high', csamUrl: 'medium', grooming: 'low' },
        multiRisk: true,
        anyRisk: true,
      }),
    );
    assessmentId = (await send('post', `${org}/assessments`, { title: `Review ${RUN}` }))!['id'] as string;
    await send('put', `${org}/assessments/${assessmentId}/answers/GOV-01`, { value: 3 }, { 'If-None-Match': '*' });
    await send('put', `${org}/assessments/${assessmentId}/answers/HASH-02`, { value: 'unknown' }, { 'If-None-Match': '*' });
    await send('post', `${org}/assessments/${assessmentId}/submit`);
    const check = await (await api.get(`${baseUrl()}${org}/assessments/${assessmentId}/attestation-check`)).json();
    exceptionCount = (check as { exceptions: unknown[] }).exceptions.length;
    expect(exceptionCount).toBeGreaterThan(1);
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    console.log(axeReport());
    await context?.close();
  });

  it('shows the statement with its exceptions numbered, and reaches agreement and password in one Tab each', async () => {
    await page.goto(`${baseUrl()}/review?assessment=${assessmentId}`);
    await page.getByRole('heading', { name: 'Sign the attestation' }).waitFor();
    const statement = page.getByTestId('attestation-statement');
    await statement.waitFor();
    expect(await statement.locator('ol > li').count()).toBe(exceptionCount);
    expect(await statement.locator('ol > li').first().getAttribute('value')).toBe('1');
    await expectAccessible(page, 'sign-off');
    await shot(page, 'sign-off-01-statement');

    // Keyboard only from here: the acknowledgement, then Tab by Tab to the agreement and the password.
    const acknowledge = page.getByLabel(`I acknowledge all ${exceptionCount} exceptions numbered above`);
    await acknowledge.focus();
    await page.keyboard.press('Space');
    expect(await acknowledge.isChecked()).toBe(true);
    const agreeId = await page.getByLabel('I have read and agree').getAttribute('id');
    let tabs = 0;
    while (tabs < 30 && (await page.evaluate(() => document.activeElement?.id)) !== agreeId) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    console.log(`Tabs from "I acknowledge all ${exceptionCount} exceptions" to "I have read and agree": ${tabs}`);
    expect(tabs).toBeLessThanOrEqual(MAX_TABS_TO_AGREEMENT);
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('password');
  });

  it('a wrong password signs nothing, says so, and keeps the owner signed in', async () => {
    await page.keyboard.type('not my passphrase');
    await page.keyboard.press('Enter');
    await page.getByText('Nothing was signed, and you are still signed in.').waitFor();
    await shot(page, 'sign-off-02-wrong-password');
    expect(new URL(page.url()).pathname).toBe('/review');
    await page.getByRole('heading', { name: 'Sign the attestation' }).waitFor();
    // The password field was emptied and has the focus; the ticks stayed.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('');
    expect(await page.getByLabel('I have read and agree').isChecked()).toBe(true);
    const status = await api.get(`${baseUrl()}/api/v1/orgs/${orgId}/assessments/${assessmentId}`);
    expect(((await status.json()) as { status: string }).status).toBe('in_review');
  });

  it('the right password signs, and the next step issues and downloads the board report', async () => {
    await page.keyboard.type(OWNER.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Signed off and locked' }).waitFor();
    await page.getByRole('heading', { name: 'Next: the board report' }).waitFor();
    // The sign button is gone; the focus (and the view) moved to the next step.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Next: the board report');
    await shot(page, 'sign-off-03-signed');
    await page.getByRole('button', { name: 'Issue and download the board report' }).click();
    const link = page.getByRole('link', { name: 'Download the PDF', exact: true });
    await link.waitFor({ timeout: 60_000 });
    await shot(page, 'sign-off-04-report-ready');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const bytes = await readFile((await download.path()) ?? '');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.getByRole('link', { name: 'All reports for this assessment' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    expect(new URL(page.url()).searchParams.get('assessment')).toBe(assessmentId);
  }, 120_000);

  it('the signed questionnaire says it is signed and read-only, never "Answers save as you go"', async () => {
    await page.goto(`${baseUrl()}/questionnaire?assessment=${assessmentId}`);
    await page.getByText(/Signed off: read-only, nothing here can change/).first().waitFor();
    expect(await page.getByText(/Answers save as you go/).count()).toBe(0);
    expect(await page.getByText(/\([^()]*\([^()]*\)\)/).count()).toBe(0);
    await page.goto(`${baseUrl()}/reports?assessment=${assessmentId}`);
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/\([^()]*\([^()]*\)\)/);
  });

  it('an invitation says which organisation, role, inviter and expiry it is for, with the email filled in and fixed', async () => {
    const invitation = await send('post', `/api/v1/orgs/${orgId}/invitations`, { email: AUDITOR.email, role: 'auditor' });
    const visitor = await launch();
    try {
      const p = await visitor.newPage();
      await p.goto(`${baseUrl()}/invitations/${invitation!['token'] as string}`);
      await p.getByRole('heading', { name: `Join ${OWNER.organisationName}`, level: 1 }).waitFor();
      const facts = p.getByTestId('invitation-facts');
      expect(await facts.textContent()).toContain(OWNER.organisationName);
      expect(await facts.textContent()).toContain('Auditor');
      expect(await facts.textContent()).toContain(OWNER.name);
      expect(await facts.locator('time').getAttribute('datetime')).toBe(invitation!['expiresAt']);
      const email = p.getByLabel('Email');
      expect(await email.inputValue()).toBe(AUDITOR.email);
      expect(await email.getAttribute('readonly')).not.toBeNull();
      await expectAccessible(p, 'accept invitation');
      await shot(p, 'invitation-01-accept');
      await p.getByLabel('Your name').fill(AUDITOR.name);
      await p.getByLabel('Password').fill(AUDITOR.password);
      await p.getByRole('button', { name: 'Create account and join' }).click();
      await p.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    } finally {
      await visitor.close();
    }
  });
});
