/// <reference lib="dom" />
// Issue 24 §3, "remediation that starts useful": suggestions skip a question answered N/A, say what
// to do, start owned by the question's assignee, and the owner assigns and dates them all at once.
import type { Action, ActionListResponse, AssessmentResponse, MeResponse } from '@hoh/contracts';
import { defaultProfile } from '@hoh/question-bank';
import type { BrowserContext, Page } from 'playwright-core';

import { axeReport, expectAccessible } from './axe.js';
import { ApiMember } from './api-member.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';
import { shot } from './shots.js';

const RUN = Date.now().toString(36);
const OWNER = { name: 'Rowan Remediator', email: `remediator-${RUN}@example.org`, password: 'a remediation passphrase', organisation: `Bulk Remediation Ltd ${RUN}` };
const CONTRIBUTOR = { name: 'Casey Contributor', email: `casey-${RUN}@example.org`, password: 'a contributor passphrase' };

const suite = browserTestsSkipped ? describe.skip : describe;

suite('remediation that starts useful (issue 24 §3)', () => {
  let context: BrowserContext | undefined;
  let page: Page;
  const owner = new ApiMember();
  let org = '';
  let contributorId = '';
  const refused: string[] = [];

  beforeAll(async () => {
    const me = await owner.signUp(OWNER);
    org = `/api/v1/orgs/${me.memberships[0]!.organisationId}`;
    await owner.call('PUT', `${org}/profile`, defaultProfile({ services: ['file_storage_sharing', 'user_to_user'], ukMonthlyUsers: 1_200_000, publicContent: true, jurisdictions: ['UK'], risk: { imageCsam: 'high', csamUrl: 'medium', grooming: 'low' }, anyRisk: true }));
    const invitation = await owner.call<{ token: string }>('POST', `${org}/invitations`, { email: CONTRIBUTOR.email, role: 'contributor' });
    const joined = await new ApiMember().call<{ me: MeResponse }>('POST', `/api/v1/invitations/${invitation.token}/accept`, { name: CONTRIBUTOR.name, email: CONTRIBUTOR.email, password: CONTRIBUTOR.password });
    contributorId = joined.me.user.id;
    const assessment = await owner.call<AssessmentResponse>('POST', `${org}/assessments`, { title: `Remediation ${RUN}` });
    const base = `${org}/assessments/${assessment.id}`;
    // The case of the issue: HASH-01 marked N/A (awaiting approval) got the suggestion with the largest uplift.
    await owner.call('PUT', `${base}/answers/HASH-01`, { value: 'not_applicable', justification: 'We host no user images' }, { 'if-none-match': '*' });
    await owner.call('POST', `${base}/assignments`, { assigneeId: contributorId, questionIds: ['OPS-01'] });

    context = await launch();
    page = await context.newPage();
    await page.goto(`${baseUrl()}/sign-in`);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    // Signed in: from here on every control offered must succeed (the sign-in page's own 401 is expected).
    page.on('response', (res) => {
      if (res.url().includes('/api/') && res.status() >= 400) refused.push(`${res.request().method()} ${res.url()} → ${String(res.status())}`);
    });
  }, 120_000);

  afterAll(async () => {
    console.log(axeReport());
    await context?.close();
  });

  it('suggests no action for the N/A question, titles each with what to do, owns the assigned one, then assigns and dates them all at once', async () => {
    await page.goto(`${baseUrl()}/remediation`);
    await page.getByRole('button', { name: 'Generate suggestions' }).first().click();
    await page.getByText(/actions suggested$/u).waitFor();
    const suggested = (await owner.call<ActionListResponse>('GET', `${org}/actions?limit=500`)).items;
    expect(suggested.length).toBeGreaterThan(10);
    expect(suggested.some((a) => a.questionIds.includes('HASH-01'))).toBe(false);
    expect(suggested.some((a) => /reach level/u.test(a.title))).toBe(false);

    const ops = suggested.find((a) => a.questionIds[0] === 'OPS-01')!;
    expect(ops.ownerId).toBe(contributorId);
    const opsRow = page.getByTestId(`action-${ops.id}`);
    await opsRow.getByText(/^Map every content surface/u).waitFor();
    const opsOwner = opsRow.getByLabel(/^Owner of/u);
    expect(await opsOwner.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe(`${CONTRIBUTOR.name} (assigned the question)`);

    await page.getByLabel(`Select all ${String(suggested.length)} actions`).check();
    const bar = page.getByRole('form', { name: 'Change the selected actions' });
    await bar.getByLabel('Owner').selectOption({ label: OWNER.name });
    await bar.getByRole('button', { name: `Assign ${String(suggested.length)} actions` }).click();
    await bar.getByText(`${String(suggested.length)} actions assigned to ${OWNER.name}.`).waitFor();
    await bar.getByLabel('Due date').fill('2027-03-31');
    await bar.getByRole('button', { name: 'Set due date' }).click();
    await bar.getByText(`${String(suggested.length)} actions due on 2027-03-31.`).waitFor();
    await expectAccessible(page, 'remediation (bulk change)');
    await shot(page, '24-remediation-bulk');

    expect(refused).toEqual([]);
    const after = (await owner.call<ActionListResponse>('GET', `${org}/actions?limit=500`)).items;
    expect(after.map((a: Action) => [a.ownerId, a.dueDate])).toEqual(after.map(() => [expect.any(String), '2027-03-31']));
    expect(new Set(after.map((a) => a.ownerId))).toEqual(new Set([(await owner.call<MeResponse>('GET', '/api/v1/auth/me')).user.id]));
  }, 120_000);
});
