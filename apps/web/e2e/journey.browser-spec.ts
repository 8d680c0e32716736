/// <reference lib="dom" />
// page.waitForFunction bodies run in the browser, so this file also sees the DOM types.
import { readFile } from 'node:fs/promises';

import type { BrowserContext, Locator, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';

import { axeReport, expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';
import { narrowShot, shot } from './shots.js';

const DEMO = { email: 'demo@handonheart.example', password: 'hand-on-heart-demo' };
const RUN = Date.now().toString(36);
const OWNER = { name: 'Casey Ciso', organisation: `Browser Test Ltd ${RUN}`, email: `ciso-${RUN}@example.org`, password: 'a long enough passphrase' };
const ASSESSOR = { name: 'Robin Reviewer', email: `assessor-${RUN}@example.org`, password: 'a reviewer passphrase' };
const CONTRIBUTOR = { name: 'Charlie Contributor', email: `contributor-${RUN}@example.org`, password: 'a contributor passphrase' };
const AUDITOR = { name: 'Ada Auditor', email: `auditor-${RUN}@example.org`, password: 'another long passphrase' };
const CLOSING_NOTE = 'Deployed and verified in production.';
const NA_REASON = 'We run no service where this control could apply; confirmed with legal.';

const suite = browserTestsSkipped ? describe.skip : describe;

async function answerYesNo(page: Page, group: string, answer: 'Yes' | 'No'): Promise<void> {
  await page.getByRole('group', { name: group }).getByLabel(answer, { exact: true }).check();
}

async function readBand(page: Page): Promise<string> {
  return ((await page.locator('.questionnaire__score .band').textContent()) ?? '').trim();
}

async function readScore(page: Page): Promise<number> {
  return Number(await page.getByTestId('questionnaire-score').textContent());
}

/** The best answer the question's own scale offers: "Level 4" or "Yes (4)". */
function topChoice(card: Locator): Locator {
  return card.getByRole('radio', { name: /^(Level 4|Yes \(4\))/ });
}

async function acceptInvitation(link: string, who: { name: string; email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launch();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel('Your name').fill(who.name);
  // The invited address is filled in and fixed (issue 24).
  expect(await page.getByLabel('Email').inputValue()).toBe(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
  await page.getByText(OWNER.organisation).first().waitFor();
  return { context, page };
}

async function invite(page: Page, email: string, role: 'assessor' | 'contributor' | 'auditor'): Promise<string> {
  const form = page.getByRole('form', { name: 'Invite a member' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption(role);
  await form.getByRole('button', { name: 'Create invitation' }).click();
  await page.getByText(`Invitation for ${email}`).waitFor();
  const link = (await page.getByTestId('invitation-link').textContent())?.trim() ?? '';
  expect(link).toContain('/invitations/hoh_inv_');
  return link;
}

// The whole journey of issue 7: the steps build on each other (one new organisation, its owner, then
// an assessor who reviews, a contributor who finishes an action, and an auditor who reads), so they
// share signed-in pages and run in order. axe-core audits each main screen on the way.
suite('the whole journey in the browser: sign up to a verified report, with review, remediation and an auditor', () => {
  let owner: BrowserContext;
  let page: Page;
  const others: BrowserContext[] = [];
  let assessor: Page;
  let contributor: Page;
  let auditorLink = '';
  let assessmentId = '';
  let reportPdf = '';
  let bandAfterAnswers = '';

  beforeAll(async () => {
    owner = await launch();
    page = await owner.newPage();
  });
  afterAll(async () => {
    console.log(axeReport());
    await Promise.all([owner.close(), ...others.map((c) => c.close())]);
  });

  it('signs up a new organisation and describes it in the profile wizard', async () => {
    await page.goto(`${baseUrl()}/sign-up`);
    await page.getByRole('heading', { name: /Create/ }).first().waitFor();
    await expectAccessible(page, 'sign-up');
    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('Organisation', { exact: true }).fill(OWNER.organisation);
    await page.getByLabel('Email', { exact: true }).fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'First, describe your organisation' }).waitFor();
    await expectAccessible(page, 'overview (new organisation)');
    await shot(page, '01-overview-empty');

    await page.getByRole('link', { name: 'Describe your organisation' }).click();
    await page.getByRole('heading', { name: 'Step 1 of 5: Services' }).waitFor();
    await page.getByLabel(/File storage or sharing/).check();
    await page.getByLabel(/User-to-user platform/).check();
    await page.getByLabel('Approximate monthly active users in the UK').fill('1200000');
    await page.getByText(/of \d+ questions apply, \d+ critical/).waitFor();
    await expectAccessible(page, 'profile wizard');
    await shot(page, '02-profile-wizard');
    await narrowShot(page, '02-profile-wizard');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Step 2 of 5: Users, children and content' }).waitFor();
    await answerYesNo(page, 'Are children likely to use the service?', 'Yes');
    await answerYesNo(page, 'Is any user content communicated publicly?', 'Yes');
    await answerYesNo(page, 'Is any content end-to-end encrypted?', 'No');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Step 3 of 5: Risks' }).waitFor();
    await page.getByRole('group', { name: 'Risk level: Image-based CSAM' }).getByLabel('High').check();
    await answerYesNo(page, 'Medium or high risk for two or more kinds of illegal harm?', 'Yes');
    await answerYesNo(page, 'Medium or high risk for any kind of illegal harm?', 'Yes');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('heading', { name: 'Step 4 of 5: Jurisdictions' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    // The facts bank 1.1.0's rules read; all optional, each with why it matters.
    await page.getByRole('heading', { name: 'Step 5 of 5: More about the service' }).waitFor();
    await expectAccessible(page, 'profile wizard (more about the service)');
    await shot(page, '02-profile-wizard-more');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved').waitFor();
    await page.getByRole('heading', { name: 'Regulatory exposure map' }).waitFor();
  });

  it('starts an assessment and answers every applicable question, with evidence, a comment and an N/A, watching score and band', async () => {
    await page.getByRole('link', { name: 'Overview' }).first().click();
    await page.getByRole('button', { name: 'Start your first assessment' }).click();
    await page.getByText('Readiness band').waitFor();
    await page.getByRole('link', { name: 'Continue answering' }).click();
    await page.getByRole('heading', { name: 'Governance and accountability', level: 2 }).waitFor();
    assessmentId = new URL(page.url()).searchParams.get('assessment') ?? '';
    expect(assessmentId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByTestId('questionnaire-score').waitFor();
    const scores = [await readScore(page)];
    const bands = [await readBand(page)];
    await expectAccessible(page, 'questionnaire');

    const domains = page.getByRole('navigation', { name: 'Domains' }).getByRole('button');
    const domainCount = await domains.count();
    expect(domainCount).toBeGreaterThan(3);
    let naDone = false;
    for (let d = 0; d < domainCount; d += 1) {
      await domains.nth(d).click();
      const title = (await domains.nth(d).locator('.domain-nav__title').textContent()) ?? '';
      await page.getByRole('heading', { name: title, level: 2 }).waitFor();
      const cards = page.locator('article.question');
      const count = await cards.count();
      for (let i = 0; i < count; i += 1) {
        const card = cards.nth(i);
        const legalOrCritical = (await card.locator('.tag', { hasText: /^(Critical|Legal duty)$/ }).count()) > 0;
        if (d === 1 && !naDone && !legalOrCritical) {
          // N/A needs a justification that a reviewer approves later.
          await card.getByRole('radio', { name: /^Not applicable/ }).check();
          await card.getByLabel('Why does this not apply? (required)').fill(NA_REASON);
          naDone = true;
        } else {
          await topChoice(card).check();
        }
        if (d === 0 && i === 0) await card.getByLabel('Comment (optional)').fill('Board minutes of March record the appointment.');
      }
      // Each card saves on its own (debounced 700 ms): wait for all of them once the domain is answered,
      // as a fast user would move on, rather than 700 ms per card in a row.
      for (let i = 0; i < count; i += 1) await cards.nth(i).getByText('Saved', { exact: true }).waitFor();
      // Evidence through the drop zone's file input: a policy on the first question of the first two
      // domains, and (once) an image, which the server refuses with its explanation.
      if (d < 2) {
        const card = cards.first();
        await card.getByLabel('choose a file').setInputFiles({
          name: `policy-${String(d)}.txt`,
          mimeType: 'text/plain',
          buffer: Buffer.from(`Policy ${String(d)} for ${OWNER.organisation}: reviewed annually by the board.\n`),
        });
        await card.getByText(/Uploaded and linked “policy-/).waitFor();
        await card.getByRole('list', { name: 'Linked evidence' }).waitFor();
      }
      if (d === 0) {
        const card = cards.nth(1);
        await card.getByLabel('choose a file').setInputFiles({
          name: 'screenshot.png',
          mimeType: 'image/png',
          buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
        });
        await card.getByText('This file was refused').waitFor();
        await shot(page, '03-questionnaire-evidence-refused');
      }
      await page.waitForFunction(
        (index) => {
          const text = document.querySelectorAll('.domain-nav__count')[index]?.textContent ?? '';
          const [done, total] = text.replace(' answered', '').split('/');
          return done !== undefined && done === total;
        },
        d,
      );
      scores.push(await readScore(page));
      bands.push(await readBand(page));
    }
    expect(naDone).toBe(true);
    await page.getByText(/Claimed 4, counts as 2: no accepted, unexpired evidence\./).first().waitFor();
    await page.getByRole('progressbar', { name: 'Questions answered' }).waitFor();
    // The score moved as answers saved, and the band shown beside it followed.
    expect(Math.max(...scores)).toBeGreaterThan(scores[0] ?? 0);
    console.log(`questionnaire score after each domain: ${scores.join(' → ')}; band: ${bands.join(' → ')}`);
    // Every claim of 4 counts as 2 until evidence is accepted, and the N/A counts 0 until approved:
    // the band moves once the assessor has done both (checked in the review step).
    bandAfterAnswers = bands[bands.length - 1] ?? '';
    await shot(page, '03-questionnaire');
    await narrowShot(page, '03-questionnaire');

    // The answers survive a reload: they were saved on the server, not just shown.
    await page.reload();
    await page.getByRole('heading', { name: 'Governance and accountability', level: 2 }).waitFor();
    expect(await topChoice(page.locator('article.question').nth(1)).isChecked()).toBe(true);

    await page.getByRole('link', { name: 'Overview' }).first().click();
    await page.getByRole('heading', { name: 'Ready to attest?' }).waitFor();
    await page.getByRole('heading', { name: 'Trend' }).waitFor();
    await expectAccessible(page, 'overview');
    await shot(page, '04-overview');
    await narrowShot(page, '04-overview');
    // Answering every question is the longest step: about 40 autosaves on a shared 2-core machine.
  }, 240_000);

  it('invites an assessor, a contributor and an auditor through the members screen', async () => {
    await page.getByRole('link', { name: 'Members' }).first().click();
    await page.getByRole('heading', { name: 'Invite a member' }).waitFor();
    await expectAccessible(page, 'members');
    const assessorLink = await invite(page, ASSESSOR.email, 'assessor');
    const contributorLink = await invite(page, CONTRIBUTOR.email, 'contributor');
    auditorLink = await invite(page, AUDITOR.email, 'auditor');
    await expectAccessible(page, 'members (invitation shown)');
    await shot(page, '10-members-invitation');

    const a = await acceptInvitation(assessorLink, ASSESSOR);
    const c = await acceptInvitation(contributorLink, CONTRIBUTOR);
    others.push(a.context, c.context);
    assessor = a.page;
    contributor = c.page;
    await page.reload();
    await page.getByText(CONTRIBUTOR.name).first().waitFor();
  });

  it('remediation: generates actions, assigns one to the contributor, who finishes it with a closing note', async () => {
    await page.getByRole('link', { name: 'Remediation' }).first().click();
    await page.getByRole('heading', { name: 'Remediation', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Generate suggestions' }).first().click();
    await page.getByText(/actions suggested/).waitFor();
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toMatch(/\/actions\/export\.csv$/);
    await expectAccessible(page, 'remediation (table)');

    const ownerSelect = page.getByLabel(/^Owner of “/).first();
    // The select sits inside its label, so read the hidden label text, not the options too.
    const label = (await ownerSelect.evaluate((el) => el.closest('label')?.querySelector('.visually-hidden')?.textContent ?? '')).trim();
    const title = /^Owner of “(.*)”$/.exec(label)?.[1] ?? '';
    expect(title).not.toBe('');
    await ownerSelect.selectOption({ label: CONTRIBUTOR.name });
    await page.waitForFunction(
      ([t, name]) =>
        [...document.querySelectorAll('select')].some(
          (s) => s.closest('label')?.querySelector('.visually-hidden')?.textContent === `Owner of “${t}”` && s.selectedOptions[0]?.textContent === name,
        ),
      [title, CONTRIBUTOR.name] as const,
    );

    // The contributor: only their own action is movable, and moving it to done asks for a note.
    await contributor.goto(`${baseUrl()}/remediation`);
    await contributor.getByRole('heading', { name: 'Remediation', level: 1 }).waitFor();
    const move = contributor.getByLabel(`Move “${title}”`);
    await move.waitFor();
    expect(await contributor.getByLabel(/^Move “/).count()).toBe(1);
    await move.selectOption('done');
    const dialog = contributor.getByRole('dialog');
    await dialog.getByLabel('Closing note: what was done? (required)').fill(CLOSING_NOTE);
    await expectAccessible(contributor, 'remediation (done dialog)');
    await shot(contributor, '05-remediation-done-dialog');
    await dialog.getByRole('button', { name: 'Mark done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await contributor.getByText(`Closed: ${CLOSING_NOTE}`).waitFor();

    await page.reload();
    await page.getByText(`Closed: ${CLOSING_NOTE}`).waitFor();
    await shot(page, '06-remediation-table');
    await narrowShot(page, '06-remediation-table');
    await page.getByLabel(/^Select “/).nth(1).check();
    await page.getByTestId('what-if-result').waitFor();

    await page.getByRole('button', { name: 'Kanban' }).click();
    await page.getByRole('region', { name: /^Done/ }).getByText(title, { exact: true }).first().waitFor();
    await expectAccessible(page, 'remediation (kanban)');
    await shot(page, '07-remediation-kanban');
    await narrowShot(page, '07-remediation-kanban');
  });

  it('review: the owner submits, the assessor accepts the evidence and approves the answers and the N/A, the owner signs the generated statement', async () => {
    await page.getByRole('link', { name: 'Review & sign-off' }).first().click();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByRole('heading', { name: /: In review$/ }).waitFor();
    // The owner answered everything, so the owner may not review: the API forbids self-review.
    await page.getByText('You answered this, so another owner or assessor must review it.').first().waitFor();

    await assessor.goto(`${baseUrl()}/evidence`);
    // Accepting requires opening (issue 24): the assessor downloads both files first, as the browser would.
    await assessor.evaluate(async (names) => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { memberships: { organisationId: string }[] };
      const evidence = `/api/v1/orgs/${me.memberships[0]!.organisationId}/evidence`;
      const list = (await (await fetch(`${evidence}?limit=200`)).json()) as { items: { id: string; fileName: string | null }[] };
      for (const e of list.items.filter((i) => names.includes(i.fileName ?? ''))) await fetch(`${evidence}/${e.id}/content`);
    }, ['policy-0.txt', 'policy-1.txt']);
    await assessor.reload();
    await assessor.getByRole('heading', { name: 'Evidence', level: 1 }).waitFor();
    await expectAccessible(assessor, 'evidence');
    for (const name of ['policy-0.txt', 'policy-1.txt']) {
      await assessor.getByRole('button', { name: new RegExp(`^Accept ${name.replace('.', '\\.')}`) }).click();
      await assessor.getByRole('row', { name: new RegExp(name.replace('.', '\\.')) }).getByText('Counts towards the score').waitFor();
    }
    await shot(assessor, '15-evidence');

    await assessor.goto(`${baseUrl()}/review`);
    await assessor.getByRole('heading', { name: /: In review$/ }).waitFor();
    await expectAccessible(assessor, 'review (reviewer)');
    await assessor.getByRole('button', { name: /^Approve N\/A justification / }).click();
    await assessor.getByText(/justifications? to approve/).waitFor({ state: 'detached' });
    const approvals = assessor.getByRole('button', { name: /^Approve [A-Z]+-\d+/ });
    for (let i = 0; i < 3; i += 1) {
      const before = await approvals.count();
      await approvals.first().click();
      await assessor.waitForFunction(
        (n) => [...document.querySelectorAll('button')].filter((b) => /^Approve [A-Z]+-\d+/.test(b.getAttribute('aria-label') ?? '')).length < n,
        before,
      );
    }
    await shot(assessor, '16-review-reviewer');

    // With the evidence accepted and the N/A approved, the owner's questionnaire shows a new band.
    await page.goto(`${baseUrl()}/questionnaire?assessment=${assessmentId}`);
    await page.getByTestId('questionnaire-score').waitFor();
    expect(bandAfterAnswers).not.toBe('');
    await page.waitForFunction((was) => document.querySelector('.questionnaire__score .band')?.textContent?.trim() !== was, bandAfterAnswers);
    console.log(`band after the review: ${await readBand(page)} (score ${String(await readScore(page))}); before: ${bandAfterAnswers}`);
    await page.getByRole('link', { name: 'Review & sign-off' }).first().click();

    // The accountable individual reads the hand-on-heart check and signs exactly that text.
    await page.getByRole('heading', { name: 'Sign the attestation' }).waitFor();
    const statement = page.getByTestId('attestation-statement');
    await statement.waitFor();
    expect(await statement.textContent()).toContain(OWNER.organisation);
    await expectAccessible(page, 'review & sign-off');
    await shot(page, '08-review-sign-off');
    const all = page.getByLabel(/^I acknowledge (all \d+ exceptions|the exception)/);
    if ((await all.count()) > 0) await all.check();
    await page.getByLabel('I have read and agree').check();
    // Sign-off re-authentication (docs/API.md §2.6).
    await page.getByLabel(/Your password/).fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign and lock the assessment' }).click();
    await page.getByRole('heading', { name: 'Signed off and locked' }).waitFor();
    await page.getByText(`Signed by ${OWNER.name}`).waitFor();
    await shot(page, '09-review-signed');
  });

  it('reports: issues the report, downloads the PDF, and the verify page recognises the file dropped on it', async () => {
    await page.getByRole('link', { name: 'Reports' }).first().click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await expectAccessible(page, 'reports');
    await page.getByRole('button', { name: 'Issue the report' }).click();
    await page.getByText('Report ready').waitFor({ timeout: 45_000 });
    const sha = (await page.locator('.alert--success code').first().textContent())?.trim() ?? '';
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    await page.getByText('Manifest, hashes and signature').first().click();
    await shot(page, '11-reports');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the PDF', exact: true }).click()]);
    reportPdf = (await download.path()) ?? '';
    const bytes = await readFile(reportPdf);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
    expect(text).toContain(OWNER.organisation);
    expect(text).toContain(OWNER.name);

    // The public page, in a signed-out context: the downloaded file goes into the drop zone's input.
    const visitor = await launch();
    try {
      const v = await visitor.newPage();
      await v.goto(`${baseUrl()}/sign-in`);
      await v.getByRole('link', { name: 'Verify a report' }).click();
      await v.getByRole('heading', { name: 'Verify a report' }).waitFor();
      await v.getByLabel('choose the PDF').setInputFiles(reportPdf);
      await v.getByText('Genuine and unaltered').waitFor();
      await v.getByText(OWNER.organisation).waitFor();
      await expectAccessible(v, 'verify (genuine)');
      await shot(v, '12-verify-genuine');
      await narrowShot(v, '12-verify-genuine');
      // One byte changed: no longer the issued report.
      const tampered = Buffer.from(bytes);
      tampered[tampered.length - 10] = (tampered[tampered.length - 10] ?? 0) ^ 0x01;
      await v.getByLabel('choose the PDF').setInputFiles({ name: 'tampered.pdf', mimeType: 'application/pdf', buffer: tampered });
      await v.getByText('Not recognised').waitFor();
    } finally {
      await visitor.close();
    }

    await page.getByRole('link', { name: 'Audit log' }).first().click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await page.locator('table code').first().waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText('Chain intact').waitFor();
    await expectAccessible(page, 'audit log');
    await shot(page, '13-audit-log');
  });

  it('an auditor, invited through the UI, sees everything and can change nothing', async () => {
    const { context, page: a } = await acceptInvitation(auditorLink, AUDITOR);
    others.push(context);

    // Questionnaire: answers readable, no radios, text boxes or selects.
    await a.goto(`${baseUrl()}/questionnaire?assessment=${assessmentId}`);
    await a.getByRole('heading', { name: 'Governance and accountability', level: 2 }).waitFor();
    const main = a.getByRole('main');
    await main.getByText('Signed off and locked').first().waitFor();
    expect(await main.getByRole('radio').count()).toBe(0);
    expect(await main.getByRole('textbox').count()).toBe(0);
    expect(await main.getByRole('button', { name: /Change target/ }).count()).toBe(0);
    expect(await main.getByLabel('choose a file').count()).toBe(0);
    await shot(a, '17-auditor-questionnaire');

    // Remediation: the actions are there, the write controls are not.
    await a.getByRole('link', { name: 'Remediation' }).first().click();
    await a.getByText(`Closed: ${CLOSING_NOTE}`).waitFor();
    expect(await main.getByRole('button', { name: /Generate suggestions|Edit title|Override priority/ }).count()).toBe(0);
    expect(await main.getByLabel(/^Move “/).count()).toBe(0);
    expect(await main.getByLabel(/^Owner of “/).count()).toBe(0);
    await main.getByRole('link', { name: 'Export CSV' }).waitFor();
    await shot(a, '18-auditor-remediation');

    // Reports: history and download, no issue button.
    await a.getByRole('link', { name: 'Reports' }).first().click();
    await a.getByRole('link', { name: /Download the PDF issued/ }).first().waitFor();
    expect(await main.getByRole('button', { name: 'Issue the report' }).count()).toBe(0);

    // Evidence: listed, no accept or reject, no upload.
    await a.getByRole('link', { name: 'Evidence' }).first().click();
    await a.getByText('policy-0.txt').first().waitFor();
    expect(await main.getByRole('button', { name: /^(Accept|Reject)/ }).count()).toBe(0);

    // Members: read-only.
    await a.getByRole('link', { name: 'Members' }).first().click();
    await a.waitForURL(/\/organisation\/members/);
    await a.getByText(OWNER.name).first().waitFor();
    expect(await main.getByRole('combobox').count()).toBe(0);
    expect(await main.getByRole('button', { name: /Remove|Create invitation/ }).count()).toBe(0);
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
      await expectAccessible(d, 'overview (demo data)');
      await shot(d, '19-demo-overview');
      for (const screen of ['questionnaire', 'review', 'remediation', 'reports']) {
        await d.goto(`${baseUrl()}/${screen}?assessment=${assessmentId}`);
        await d.getByRole('heading', { name: 'Assessment not found' }).waitFor();
      }
      await shot(d, '20-other-organisation-not-found');
    } finally {
      await demo.close();
    }
  });
});
