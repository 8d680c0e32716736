/// <reference lib="dom" />
// Issue 30: a drill run in Chromium by a facilitator and two participants, each in their own browser;
// the record is downloaded, read back and matched to its signed hash, and waits as pending exercise
// evidence (accepting it and the cap it lifts are proven in apps/api/test/drills).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import type { DrillListResponse, DrillResponse, EvidenceResponse } from '@hoh/contracts';
import { defaultProfile } from '@hoh/question-bank';
import type { BrowserContext, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';

import { ApiMember } from './api-member.js';
import { expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';

const RUN = Date.now().toString(36);
const OWNER = { name: 'Fran Facilitator', email: `drill-owner-${RUN}@example.org`, password: 'a facilitating passphrase', organisation: `Drill Hall Ltd ${RUN}` };
const IT = { name: 'Ivo Engineer', email: `drill-it-${RUN}@example.org`, password: 'an engineering passphrase' };
const LEGAL = { name: 'Lena Counsel', email: `drill-legal-${RUN}@example.org`, password: 'a counselling passphrase' };

const suite = browserTestsSkipped ? describe.skip : describe;

async function signIn(who: { email: string; password: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launch();
  const page = await context.newPage();
  await page.goto(`${baseUrl()}/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
  return { context, page };
}

suite('incident drills (issue 30): a facilitator and two participants', () => {
  const contexts: BrowserContext[] = [];
  const owner = new ApiMember();
  const legal = new ApiMember();
  let org = '';
  let facilitator: Page;
  let engineer: Page;
  let counsel: Page;
  let drillUrl = '';

  beforeAll(async () => {
    const me = await owner.signUp(OWNER);
    org = `/api/v1/orgs/${me.memberships[0]!.organisationId}`;
    await owner.call('PUT', `${org}/profile`, defaultProfile({ services: ['enterprise_devices'], managedDevices: 800, jurisdictions: ['UK'] }));
    await owner.call('POST', `${org}/assessments`, {});
    for (const [who, role, api] of [
      [IT, 'contributor', new ApiMember()],
      [LEGAL, 'assessor', legal],
    ] as const) {
      const invitation = await owner.call<{ token: string }>('POST', `${org}/invitations`, { email: who.email, role });
      await api.call('POST', `/api/v1/invitations/${invitation.token}/accept`, { name: who.name, email: who.email, password: who.password });
    }
    for (const who of [OWNER, IT, LEGAL]) {
      const session = await signIn(who);
      contexts.push(session.context);
      if (who === OWNER) facilitator = session.page;
      else if (who === IT) engineer = session.page;
      else counsel = session.page;
    }
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
  });

  it('the facilitator starts a drill from the navigation with two participants in their roles', async () => {
    await facilitator.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Drills' }).click();
    await facilitator.getByRole('heading', { name: 'Incident drills' }).waitFor();
    const form = facilitator.getByRole('form', { name: 'Start a drill' });
    await form.getByLabel('Scenario').selectOption('corporate-laptop');
    await form.getByLabel(IT.name).selectOption('it_security');
    await form.getByLabel(LEGAL.name).selectOption('legal');
    await form.getByRole('button', { name: 'Start the drill' }).click();
    await facilitator.getByRole('heading', { name: 'Drill: A laptop handed in for repair' }).waitFor();
    drillUrl = facilitator.url();
    expect(drillUrl).toMatch(/\/drills\/[0-9a-f-]{36}$/);
    await facilitator.getByRole('region', { name: 'Inject: What the technician saw' }).waitFor();
    await expectAccessible(facilitator, 'drill run (facilitator)');
  }, 60_000);

  it('a participant records a decision in words; the facilitator rates one, pauses, resumes and reveals the next inject', async () => {
    await engineer.goto(drillUrl);
    const decision = engineer.getByRole('form', { name: 'Decision: Who does the technician tell?' });
    await decision.getByLabel('Decided by').selectOption({ label: IT.name });
    await decision.getByLabel('What was decided').fill('Called the incident lead on the playbook number; told nobody else.');
    await decision.getByRole('button', { name: 'Record decision' }).click();
    await engineer.getByRole('list', { name: 'Recorded: Who does the technician tell?' }).getByText('Called the incident lead').waitFor();
    // A participant does not see the answer sheet while the drill runs.
    expect(await engineer.getByText('Expected good practice and common mistakes').count()).toBe(0);

    await facilitator.reload();
    const stop = facilitator.getByRole('form', { name: 'Decision: What does the technician do at the desk, right now?' });
    await stop.getByLabel('Decided by').selectOption({ label: IT.name });
    await stop.getByLabel('What was decided').fill('Stopped the check and locked the laptop away.');
    await stop.getByLabel('Against good practice').selectOption('as_expected');
    await stop.getByRole('button', { name: 'Record decision' }).click();
    await facilitator.getByRole('list', { name: 'Recorded: What does the technician do at the desk, right now?' }).getByText('(As expected)', { exact: false }).waitFor();
    await facilitator.getByRole('button', { name: 'Pause' }).click();
    await facilitator.getByRole('button', { name: 'Resume' }).click();
    await facilitator.getByRole('button', { name: 'Reveal next inject' }).click();
    await facilitator.getByRole('region', { name: 'Inject: The manager wants to see' }).waitFor();
  }, 60_000);

  it('the second participant sees the revealed inject and adds a note; the facilitator finishes and opens the record', async () => {
    await counsel.goto(drillUrl);
    await counsel.getByRole('region', { name: 'Inject: The manager wants to see' }).waitFor();
    const note = counsel.getByRole('form', { name: 'Add a note' });
    await note.getByLabel('Note').fill('The legal hold template is not in the playbook.');
    await note.getByRole('button', { name: 'Add note' }).click();
    await counsel.getByRole('region', { name: 'Timeline' }).getByText('The legal hold template is not in the playbook.', { exact: false }).waitFor();

    await facilitator.reload();
    const finish = facilitator.getByRole('form', { name: 'Finish the drill' });
    await finish.getByLabel('Lessons (one per line)').fill('Put the legal hold template in the playbook.');
    await finish.getByLabel('Follow-up actions (one per line)').fill('Add the legal hold template');
    await finish.getByRole('button', { name: 'Finish and keep the record' }).click();
    const record = facilitator.getByRole('region', { name: 'Drill record' });
    await record.waitFor();
    await expectAccessible(facilitator, 'finished drill');
    const [download] = await Promise.all([facilitator.waitForEvent('download'), record.getByRole('link', { name: 'Open the drill record (PDF)' }).click()]);
    const bytes = await readFile((await download.path()) ?? '');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of ['Drill record: A laptop handed in for repair', 'Called the incident lead on the playbook number', 'As expected', 'Put the legal hold template in the playbook.', 'The legal hold template is not in the playbook.']) {
      expect(flat).toContain(expected);
    }

    // The record is exercise evidence, pending until another manager opens and accepts it.
    const drills = await owner.call<DrillListResponse>('GET', `${org}/drills`);
    const drill = await owner.call<DrillResponse>('GET', `${org}/drills/${drills.items[0]!.id}`);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(drill.record!.pdfSha256);
    const before = await legal.call<EvidenceResponse>('GET', `${org}/evidence/${drill.record!.evidenceId}`);
    expect(before).toMatchObject({ kind: 'exercise', status: 'pending', counts: false });
    expect(before.linkedAnswers.map((l) => l.questionId)).toContain('ENT-04');
  }, 90_000);

  it('schedules the scenario a year on, and the found-material page leads to the first-hour steps and to this organisation\'s last drill', async () => {
    await facilitator.goto(`${baseUrl()}/drills`);
    const row = facilitator.getByRole('table', { name: 'Drill schedule' }).getByRole('row').filter({ hasText: 'A laptop handed in for repair' });
    await row.getByText('Up to date').waitFor();
    await facilitator.goto(`${baseUrl()}/found-suspected-material`);
    await facilitator.getByRole('link', { name: 'First-hour steps for each setting' }).click();
    await facilitator.getByRole('heading', { name: /A laptop handed in for repair/ }).waitFor();
    await expectAccessible(facilitator, 'first-hour steps');
    await facilitator.goto(`${baseUrl()}/found-suspected-material`);
    await facilitator.getByRole('link', { name: /own playbook and last drill record/ }).click();
    await facilitator.getByRole('link', { name: 'A laptop handed in for repair' }).waitFor();
    await facilitator.getByText(/No accepted playbook is linked to ENT-04 yet/).waitFor();
  }, 60_000);
});
