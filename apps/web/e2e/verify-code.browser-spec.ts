/// <reference lib="dom" />
// Issue 25 item 3, "verify anywhere": a report's verify link (what its QR code opens) names the
// report on the public verify page, then the PDF in hand is checked against it. Signed out, in a real
// Chromium against the production build.
import { randomUUID } from 'node:crypto';

import { type Report, verifyPageUrl } from '@hoh/contracts';
import { defaultProfile } from '@hoh/question-bank';
import type { BrowserContext, Page } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { axeReport, expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';

const RUN = Date.now().toString(36);
const OWNER = { name: 'Vera Verifier', email: `vera-${RUN}@example.org`, password: 'a verifying passphrase', organisation: `Code Check Ltd ${RUN}` };

const suite = browserTestsSkipped ? describe.skip : describe;

/** The page a report's code opens, on this server (the report itself names PUBLIC_URL's host). */
const codePage = (reportId: string, resultsSha256: string) => {
  const url = new URL(verifyPageUrl('https://hoh.example.org', reportId, resultsSha256));
  return `${baseUrl()}${url.pathname}${url.search}`;
};

/** The issued PDF's bytes, downloaded as the owner (ApiMember answers JSON only). */
async function downloadPdf(path: string): Promise<Buffer> {
  const signIn = await fetch(`${baseUrl()}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: OWNER.email, password: OWNER.password }),
  });
  if (!signIn.ok) throw new Error(`sign-in answered ${String(signIn.status)}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .join('; ');
  const res = await fetch(`${baseUrl()}${path}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`GET ${path} answered ${String(res.status)}`);
  return Buffer.from(await res.arrayBuffer());
}

suite('verify page opened from a report’s code (issue 25 item 3)', () => {
  let visitor: BrowserContext | undefined;
  let page: Page;
  let report: Report;
  let pdf: Buffer;

  beforeAll(async () => {
    const owner = new ApiMember();
    const me = await owner.signUp(OWNER);
    const org = `/api/v1/orgs/${me.memberships[0]!.organisationId}`;
    await owner.call('PUT', `${org}/profile`, defaultProfile({ services: ['file_storage_sharing'], jurisdictions: ['UK'], anyRisk: true }));
    const assessment = await owner.call<{ id: string }>('POST', `${org}/assessments`, { title: 'Code check review' });
    await owner.call('PUT', `${org}/assessments/${assessment.id}/answers/GOV-01`, { value: 3 }, { 'if-none-match': '*' });
    const queued = await owner.call<Report>('POST', `${org}/assessments/${assessment.id}/reports`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      report = await owner.call<Report>('GET', `${org}/reports/${queued.id}`);
      if (report.status === 'ready') break;
      if (report.status === 'failed' || Date.now() > deadline) throw new Error(`report ${report.status}: ${report.error ?? 'still rendering after 60 s'}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    pdf = await downloadPdf(`${org}/reports/${report.id}/pdf`);
    visitor = await launch();
    page = await visitor.newPage();
  }, 120_000);

  afterAll(async () => {
    console.log(axeReport());
    await visitor?.close();
  });

  it('names the report the code points at, signed out, then confirms the PDF in hand is that report, unaltered', async () => {
    await page.goto(codePage(report.id, report.resultsSha256!));
    await page.getByText('This code names a genuine report').waitFor();
    const named = await page.getByText(/This code names report/).textContent();
    expect(named).toContain(report.id);
    expect(named).toContain(`issued to ${OWNER.organisation} on`);
    await page.getByText(report.pdfSha256!).waitFor();
    await expectAccessible(page, 'verify (from a report code)');

    await page.getByLabel('choose the PDF').setInputFiles({ name: 'board-report.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByText('Genuine and unaltered').waitFor();
    await expectAccessible(page, 'verify (code, file confirmed)');

    const tampered = Buffer.from(pdf);
    tampered[tampered.length - 10] = (tampered[tampered.length - 10] ?? 0) ^ 0x01;
    await page.getByLabel('choose the PDF').setInputFiles({ name: 'tampered.pdf', mimeType: 'application/pdf', buffer: tampered });
    await page.getByText('Not recognised').waitFor();
  });

  it('says a code that matches no issued report names nothing, and still offers the file check', async () => {
    await page.goto(codePage(randomUUID(), report.resultsSha256!));
    await page.getByText('This code names no report issued here').waitFor();
    await page.getByLabel('choose the PDF').waitFor({ state: 'attached' });
    await expectAccessible(page, 'verify (unknown code)');
  });
});
