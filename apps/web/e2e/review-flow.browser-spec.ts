/// <reference lib="dom" />
// Issue 24 §2, "review at the pace of a real review": a second member reviews 40 answers linked to
// 5 evidence files (opening each file) in at most 15 clicks, and every control shown succeeds.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { AssessmentResponse, EvidenceResponse, ScoreResponse } from '@hoh/contracts';
import { defaultProfile, getCurrentFramework } from '@hoh/question-bank';
import type { BrowserContext, Locator, Page } from 'playwright-core';

import { axeReport, expectAccessible } from './axe.js';
import { ApiMember } from './api-member.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';
import { shot } from './shots.js';

const RUN = Date.now().toString(36);
const MEMBER_A = {
  name: 'Avery Author',
  email: `author-${RUN}@example.org`,
  password: 'an author passphrase',
  organisation: `Review Pace Ltd ${RUN}`,
};
const MEMBER_B = { name: 'Blake Reviewer', email: `reviewer-${RUN}@example.org`, password: 'a reviewer passphrase' };
const CLICK_BUDGET = 15;

// Real documents from the API's evidence corpus (LibreOffice and qpdf output): three PDFs and two
// office files, so both the preview and the download paths are walked.
const corpus = resolve(process.cwd(), 'apps/api/test/fixtures/evidence-corpus');
const FILES = [
  { file: 'lo-writer-plain.pdf', type: 'application/pdf', title: 'Hash-matching policy', kind: 'policy' },
  { file: 'qpdf-linearized.pdf', type: 'application/pdf', title: 'Reporting procedure (NCMEC, NCA)', kind: 'procedure' },
  { file: 'poppler-cairo.pdf', type: 'application/pdf', title: 'Moderator training record', kind: 'training_record' },
  {
    file: 'lo-writer-logo.docx',
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    title: 'Supplier contract clause',
    kind: 'contract',
  },
  {
    file: 'lo-calc.xlsx',
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    title: 'Detection metrics Q3',
    kind: 'metrics',
  },
] as const;

const suite = browserTestsSkipped ? describe.skip : describe;

suite('reviewing at the pace of a real review (issue 24 §2)', () => {
  let context: BrowserContext | undefined;
  let page: Page;
  const a = new ApiMember();
  let orgId = '';
  let assessmentId = '';
  const evidenceIds: string[] = [];
  let answeredIds: string[] = [];
  let clicks = 0;
  const refused: string[] = [];

  /** Every click the reviewer makes goes through here, so the count is the count. */
  async function click(target: Locator): Promise<void> {
    clicks += 1;
    await target.click();
  }

  beforeAll(async () => {
    // Member A: signs up, describes the organisation, answers 40 questions, uploads 5 files and
    // links each to 8 answers, submits; then invites member B as an assessor.
    const me = await a.signUp(MEMBER_A);
    orgId = me.memberships[0]!.organisationId;
    const org = `/api/v1/orgs/${orgId}`;
    await a.call(
      'PUT',
      `${org}/profile`,
      defaultProfile({
        // Broad enough that over 40 questions apply (62 on bank 1.2.0).
        services: ['file_storage_sharing', 'user_to_user', 'private_messaging', 'livestreaming', 'genai', 'enterprise_devices'],
        managedDevices: 500,
        childrenLikely: true,
        ukMonthlyUsers: 1_200_000,
        publicContent: true,
        jurisdictions: ['UK', 'EU'],
        risk: { imageCsam: 'high', csamUrl: 'medium', grooming: 'low' },
        multiRisk: true,
        anyRisk: true,
      }),
    );
    const assessment = await a.call<AssessmentResponse>('POST', `${org}/assessments`, { title: `Review pace ${RUN}` });
    assessmentId = assessment.id;
    const score = await a.call<ScoreResponse>('GET', `${org}/assessments/${assessmentId}/score`);
    const applicable = new Set(score.items.filter((i) => i.status !== 'excluded_by_profile').map((i) => i.questionId));
    const questions = getCurrentFramework()
      .questions.filter((q) => applicable.has(q.id))
      .slice(0, 40);
    expect(questions).toHaveLength(40);
    answeredIds = questions.map((q) => q.id);
    for (const q of questions) {
      await a.call(
        'PUT',
        `${org}/assessments/${assessmentId}/answers/${q.id}`,
        { value: q.scale.kind === 'legal_duty' ? 4 : 3, comment: `In place since spring (${q.id}).` },
        { 'if-none-match': '*' },
      );
    }
    for (const f of FILES) {
      const form = new FormData();
      form.set('title', f.title);
      form.set('kind', f.kind);
      form.set('issuedAt', '2026-09-01T00:00:00.000Z');
      form.set('file', new Blob([await readFile(resolve(corpus, f.file))], { type: f.type }), f.file);
      const e = await a.call<EvidenceResponse>('POST', `${org}/evidence`, form);
      evidenceIds.push(e.id);
    }
    for (const [i, q] of questions.entries()) {
      await a.call('PUT', `${org}/assessments/${assessmentId}/answers/${q.id}/evidence/${evidenceIds[i % FILES.length]!}`);
    }
    await a.call('POST', `${org}/assessments/${assessmentId}/submit`);
    const invitation = await a.call<{ token: string }>('POST', `${org}/invitations`, { email: MEMBER_B.email, role: 'assessor' });

    // Member B joins through the invitation and signs in in Chromium.
    await new ApiMember().call('POST', `/api/v1/invitations/${invitation.token}/accept`, {
      name: MEMBER_B.name,
      email: MEMBER_B.email,
      password: MEMBER_B.password,
    });
    context = await launch();
    page = await context.newPage();
    await page.goto(`${baseUrl()}/sign-in`);
    await page.getByLabel('Email').fill(MEMBER_B.email);
    await page.getByLabel('Password').fill(MEMBER_B.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    // From here on, any refusal is a control that was shown but failed (before signing in, /auth/me answers 401 by design).
    page.on('response', (res) => {
      if (res.url().includes('/api/') && res.status() >= 400)
        refused.push(`${res.request().method()} ${res.url()} → ${String(res.status())}`);
    });
  }, 120_000);

  afterAll(async () => {
    console.log(axeReport());
    await context?.close();
  });

  it('member B reviews 40 answers and accepts 5 evidence files, opening each, in at most 15 clicks; every control shown succeeds', async () => {
    // Counting starts on the review page (navigation there is one link, counted).
    await click(page.getByRole('link', { name: 'Review & sign-off' }).first());
    const list = page.getByRole('list', { name: 'Answers in questionnaire order' });
    await list.waitFor();
    expect(await list.locator('> li').count()).toBe(40);
    // Questionnaire order: the bank's order.
    const shown = await list.locator('> li').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset['question'] ?? ''));
    expect(shown).toEqual(answeredIds);

    const evidence = page.getByRole('region', { name: 'Evidence linked to these answers (5)' });
    await evidence.getByText(FILES[4].title).waitFor();
    // Nothing may be accepted before it is opened.
    expect(await page.getByRole('button', { name: /^Accept/ }).count()).toBe(0);
    await expectAccessible(page, 'review list');
    await shot(page, '24-review-list');

    // Open each file: a PDF in the in-app preview (then Close), an office file by download.
    for (const [i, f] of FILES.entries()) {
      const item = evidence.locator(`[data-evidence-id="${evidenceIds[i]!}"]`);
      if (f.type === 'application/pdf') {
        await click(item.getByRole('button', { name: `Preview ${f.title}` }));
        const dialog = page.getByRole('dialog', { name: new RegExp(`^Preview: ${f.file.replace(/\./g, '\\.')}`) });
        await dialog.waitFor();
        // pdf.js drew it: the reviewer saw the document, not a spinner.
        await dialog.getByText(/^\d+ pages?\./).waitFor({ timeout: 20_000 });
        await item.getByText(/^You opened it/).waitFor();
        if (i === 0) await shot(page, '24-review-preview');
        await click(dialog.getByRole('button', { name: 'Close' }));
        await dialog.waitFor({ state: 'detached' });
      } else {
        const download = page.waitForEvent('download');
        await click(item.getByRole('button', { name: `Download ${f.title}` }));
        expect((await download).suggestedFilename()).toBe(f.file);
        await item.getByText(/^You opened it/).waitFor();
      }
      await item.getByRole('button', { name: `Accept ${f.title}` }).waitFor();
    }

    // The keys work in the real browser too (keys are not clicks): j focuses the first answer with a
    // visible focus ring, x selects it and x again clears it.
    await page.locator('body').focus();
    await page.keyboard.press('j');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { question: el?.dataset['question'] ?? null, outline: el ? getComputedStyle(el).outlineStyle : 'none' };
    });
    expect(focused).toEqual({ question: answeredIds[0], outline: 'solid' });
    await page.keyboard.press('x');
    await page.getByText('1 answer selected').waitFor();
    await page.keyboard.press('x');
    await page.getByText('0 answers selected').waitFor();

    await click(page.getByLabel('Select all waiting for review (40)'));
    await click(page.getByRole('button', { name: 'Approve selected (40)' }));
    await page.getByText('Approved 40 answers.').waitFor();
    await click(evidence.getByRole('button', { name: 'Accept all 5 you opened' }));
    await page.getByText('Accepted 5 evidence items.').waitFor();
    await shot(page, '24-review-list-done');

    console.log(`review-flow: ${String(clicks)} clicks for 40 answers and 5 evidence files (each opened)`);
    expect(clicks).toBeLessThanOrEqual(CLICK_BUDGET);
    expect(refused).toEqual([]);
    expect(await page.getByRole('alert').count()).toBe(0);

    // Read back through the API, as member A.
    const org = `/api/v1/orgs/${orgId}`;
    const after = await a.call<AssessmentResponse>('GET', `${org}/assessments/${assessmentId}`);
    const answered = after.answers.filter((x) => x.answered);
    expect(answered).toHaveLength(40);
    expect(answered.every((x) => x.review.status === 'approved')).toBe(true);
    for (const id of evidenceIds) {
      const e = await a.call<EvidenceResponse>('GET', `${org}/evidence/${id}`);
      expect(e.status).toBe('accepted');
      expect(e.reviewer?.name).toBe(MEMBER_B.name);
    }
  }, 120_000);
});
