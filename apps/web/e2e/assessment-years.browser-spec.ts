/// <reference lib="dom" />
// Issue 24 §4 and §5, "assessments by year" and "trend and comparisons that do not mislead": sign a
// year, start next year from it with a name and period, switch between them with the picker,
// follow a trend link, and issue a report for the older one.
import type { AssessmentResponse, AttestationCheckResponse, ReportListResponse } from '@hoh/contracts';
import { defaultProfile } from '@hoh/question-bank';
import type { BrowserContext, Page } from 'playwright-core';

import { axeReport, expectAccessible } from './axe.js';
import { ApiMember } from './api-member.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';
import { shot } from './shots.js';

const RUN = Date.now().toString(36);
const OWNER = { name: 'Yara Yearly', email: `yearly-${RUN}@example.org`, password: 'a yearly passphrase', organisation: `Year Two Ltd ${RUN}` };
const ASSESSOR = { name: 'Rene Reviewer', email: `rene-${RUN}@example.org`, password: 'a reviewing passphrase' };

const suite = browserTestsSkipped ? describe.skip : describe;

suite('assessments by year (issue 24 §4–5)', () => {
  let context: BrowserContext | undefined;
  let page: Page;
  const owner = new ApiMember();
  let org = '';
  let signedId = '';
  const refused: string[] = [];

  beforeAll(async () => {
    const me = await owner.signUp(OWNER);
    org = `/api/v1/orgs/${me.memberships[0]!.organisationId}`;
    await owner.call('PUT', `${org}/profile`, defaultProfile({
        services: ['file_storage_sharing', 'user_to_user'],
        ukMonthlyUsers: 1_200_000,
        publicContent: true,
        jurisdictions: ['UK', 'EU'],
        risk: { imageCsam: 'high', csamUrl: 'medium', grooming: 'low' },
        // Several risks: the governance questions GOV-03 and GOV-05 then apply.
        multiRisk: true,
        anyRisk: true,
      }));
    const invitation = await owner.call<{ token: string }>('POST', `${org}/invitations`, { email: ASSESSOR.email, role: 'assessor' });
    const assessor = new ApiMember();
    await assessor.call('POST', `/api/v1/invitations/${invitation.token}/accept`, { name: ASSESSOR.name, email: ASSESSOR.email, password: ASSESSOR.password });

    // 2026, signed: GOV-05 N/A with its justification approved, GOV-03 at level 2.
    const a = await owner.call<AssessmentResponse>('POST', `${org}/assessments`, { period: { start: '2026-01-01', end: '2026-12-31' } });
    signedId = a.id;
    const base = `${org}/assessments/${signedId}`;
    await owner.call('PUT', `${base}/answers/GOV-05`, { value: 'not_applicable', justification: 'No separate board committee here' }, { 'if-none-match': '*' });
    await owner.call('PUT', `${base}/answers/GOV-03`, { value: 2 }, { 'if-none-match': '*' });
    await owner.call('POST', `${base}/submit`);
    await assessor.call('POST', `${base}/reviews`, { items: [{ questionId: 'GOV-05', decision: 'approve' }, { questionId: 'GOV-03', decision: 'approve' }] });
    const check = await owner.call<AttestationCheckResponse>('GET', `${base}/attestation-check`);
    await owner.call('POST', `${base}/sign-off`, { statement: check.statement, acknowledged: check.exceptions.map((e) => e.id), reauth: { password: OWNER.password } });

    context = await launch();
    page = await context.newPage();
    page.on('response', (res) => {
      if (res.url().includes('/api/') && res.status() >= 400) refused.push(`${res.request().method()} ${res.url()} → ${String(res.status())}`);
    });
    await page.goto(`${baseUrl()}/sign-in`);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    // The sign-in page asks who is signed in first (401 before signing in); only what follows counts.
    refused.length = 0;
  }, 120_000);

  afterAll(async () => {
    console.log(axeReport());
    await context?.close();
  });

  it('starts next year from the signed one as "CSAM controls review 2027", switches years with the picker, follows a trend link and reports on the older year', async () => {
    // The signed year: next year's review is offered, named and dated for the year after.
    await page.getByRole('heading', { name: 'CSAM controls review 2026' }).waitFor();
    const form = page.getByRole('form', { name: "Start next year's review" });
    expect(await form.getByLabel('Name').inputValue()).toBe('CSAM controls review 2027');
    expect(await form.getByLabel('Period starts').inputValue()).toBe('2027-01-01');
    expect(await form.getByLabel('Period ends').inputValue()).toBe('2027-12-31');
    await form.getByRole('button', { name: "Start next year's review" }).click();

    // It opens the new year's questionnaire; the picker reaches the signed year without editing the URL.
    await page.waitForURL(/\/questionnaire\?assessment=/);
    const picker = page.getByLabel('Assessment', { exact: true });
    await picker.waitFor();
    const options = await picker.locator('option').allTextContents();
    expect(options).toEqual(['CSAM controls review 2027 · 2027 · Draft', 'CSAM controls review 2026 · 2026 · Signed and locked']);
    await picker.selectOption({ label: 'CSAM controls review 2026 · 2026 · Signed and locked' });
    await page.waitForURL(`**/questionnaire?assessment=${signedId}`);
    await page.getByText(/^CSAM controls review 2026\./).waitFor();
    await expectAccessible(page, 'questionnaire (picker)');

    // The overview: the new year is a draft, so next year's review is not offered from it; the trend
    // reads 2026 → 2027 and the reset N/A approval is a review reset, not a deterioration.
    await page.getByRole('link', { name: 'Overview' }).first().click();
    await page.getByRole('heading', { name: 'CSAM controls review 2027' }).waitFor();
    await page.getByText(/Next year's review starts from a submitted or signed assessment/).waitFor();
    expect(await page.getByRole('button', { name: "Start next year's review" }).count()).toBe(0);
    const axis = await page.locator('svg.trend__svg text.trend__axis').allTextContents();
    expect(axis.filter((t) => /^\d{4}/.test(t))).toEqual(['2026', '2027']);
    const changes = page.getByRole('table', { name: /Domain changes since/ });
    await changes.getByRole('row', { name: /GOV Governance/ }).getByText(/Review reset \(answers unchanged\)/).waitFor();
    expect(await changes.getByText(/^Deteriorated/).count()).toBe(0);
    expect(await changes.getByText(/^Improved/).count()).toBe(0);
    await expectAccessible(page, 'overview (trend by year)');
    await shot(page, '24-assessment-years-overview');

    // A trend row opens its assessment.
    await page.getByRole('table', { name: 'Score trend, oldest first' }).getByRole('link', { name: 'CSAM controls review 2026' }).click();
    await page.waitForURL(`**/review?assessment=${signedId}`);
    await page.getByRole('heading', { name: /CSAM controls review 2026/ }).first().waitFor();

    // Reports: pick the older, signed year and issue its report; a signed report of the frozen result.
    await page.goto(`${baseUrl()}/reports`);
    await page.getByLabel('Assessment', { exact: true }).selectOption({ label: 'CSAM controls review 2026 · 2026 · Signed and locked' });
    await page.getByText(/issuing it again gives a new signed report of the same result/).waitFor();
    await page.getByRole('button', { name: 'Issue the report' }).click();
    await page.getByText('Report ready').waitFor({ timeout: 60_000 });
    await expectAccessible(page, 'reports (older year)');
    await shot(page, '24-assessment-years-reports');
    const reports = await owner.call<ReportListResponse>('GET', `${org}/reports`);
    expect(reports.items.map((r) => [r.assessmentId, r.draft, r.status])).toEqual([[signedId, false, 'ready']]);

    expect(refused).toEqual([]);
  }, 180_000);
});
