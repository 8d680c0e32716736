/// <reference lib="dom" />
// Issue 23: a CISO whose live assessment is on an older question bank sees the overview's banner,
// opens what the newer version changes for them, upgrades from that screen, and the trend marks
// where the bank changed so the jump is not read as progress. The older assessments are made
// through the API and moved back to 1.1.0 in the database (no route makes one on an old bank).
import type { Action, AssessmentResponse } from '@hoh/contracts';
import { defaultProfile } from '@hoh/question-bank';
import type { BrowserContext, Page } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { asDatabaseOwner, baseUrl, browserTestsSkipped, launch, signIn } from './browser.js';
import { shot } from './shots.js';

const RUN = Date.now().toString(36);
const OWNER = {
  name: 'Ulla Upgrader',
  email: `upgrade-${RUN}@example.org`,
  password: 'an upgrading passphrase',
  organisation: `Upgrading Ltd ${RUN}`,
};

const suite = browserTestsSkipped ? describe.skip : describe;

suite('moving a live assessment to the newer question bank in the browser (issue 23)', () => {
  let context: BrowserContext | undefined;
  let page: Page;
  const owner = new ApiMember();
  let org = '';
  let draft = '';
  let action: Action;

  const toBank = (assessmentId: string, version: string) =>
    asDatabaseOwner((db) => db.query('UPDATE assessments SET framework_version = $2 WHERE id = $1', [assessmentId, version]));

  beforeAll(async () => {
    const me = await owner.signUp(OWNER);
    org = `/api/v1/orgs/${me.memberships[0]!.organisationId}`;
    await owner.call(
      'PUT',
      `${org}/profile`,
      defaultProfile({
        services: ['file_storage_sharing'],
        ukMonthlyUsers: 50_000,
        publicContent: true,
        jurisdictions: ['UK'],
        risk: { imageCsam: 'high', csamUrl: 'low', grooming: 'low' },
        anyRisk: true,
      }),
    );

    // Last year's review, signed on 1.1.0.
    const signed = await owner.call<AssessmentResponse>('POST', `${org}/assessments`, { title: `Review 2025 ${RUN}` });
    await toBank(signed.id, '1.1.0');
    await owner.call('PUT', `${org}/assessments/${signed.id}/answers/GOV-01`, { value: 2 }, { 'if-none-match': '*' });
    await owner.call('POST', `${org}/assessments/${signed.id}/submit`);
    const check = await owner.call<{ statement: string; exceptions: { id: string }[] }>(
      'GET',
      `${org}/assessments/${signed.id}/attestation-check`,
    );
    await owner.call('POST', `${org}/assessments/${signed.id}/sign-off`, {
      statement: check.statement,
      acknowledged: check.exceptions.map((e) => e.id),
      reauth: { password: OWNER.password },
    });

    // This year's, live and still on 1.1.0, with an answer and an action linked to it.
    draft = (await owner.call<AssessmentResponse>('POST', `${org}/assessments`, { title: `Review 2026 ${RUN}` })).id;
    await toBank(draft, '1.1.0');
    await owner.call(
      'PUT',
      `${org}/assessments/${draft}/answers/GOV-01`,
      { value: 3, comment: 'Board minutes name the accountable executive' },
      { 'if-none-match': '*' },
    );
    action = await owner.call<Action>('POST', `${org}/actions`, {
      title: 'Name a deputy for the accountable executive',
      questionIds: ['GOV-01'],
    });

    context = await launch();
    page = await context.newPage();
    await signIn(page, OWNER);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  it('announces 1.2.0 on the overview and opens what it changes for this organisation', async () => {
    expect(action.bankVersion).toBe('1.1.0');
    const banner = page.getByText(/hoh-csam 1\.2\.0 is published/);
    await banner.waitFor();
    await shot(page, 'bank-upgrade-overview-banner');
    await page.getByRole('link', { name: 'See what 1.2.0 changes for you' }).click();
    await page.getByRole('heading', { name: /Move “Review 2026/ }).waitFor();
    // New questions that apply to a UK file-sharing service are listed before the button.
    await page.getByText('TRN-06', { exact: false }).first().waitFor();
    await shot(page, 'bank-upgrade-changes');
  }, 60_000);

  it('upgrades the live assessment from that screen, keeping its answer and giving its action links on 1.2.0', async () => {
    await page.getByRole('button', { name: 'Upgrade to 1.2.0' }).click();
    await page.getByText(/is now on hoh-csam 1\.2\.0/).waitFor();
    await shot(page, 'bank-upgrade-done');
    const after = await owner.call<AssessmentResponse>('GET', `${org}/assessments/${draft}`);
    expect(after.framework.version).toBe('1.2.0');
    expect(after.answers.find((a) => a.questionId === 'GOV-01')).toMatchObject({
      value: 3,
      comment: 'Board minutes name the accountable executive',
    });
    const moved = await owner.call<Action>('GET', `${org}/actions/${action.id}`);
    expect(moved.questionLinks).toEqual([
      { bankVersion: '1.1.0', questionIds: ['GOV-01'] },
      { bankVersion: '1.2.0', questionIds: ['GOV-01'] },
    ]);
    const verify = await owner.call<{ intact: boolean; drift: unknown[] }>('GET', `${org}/audit-log/verify`);
    expect(verify).toMatchObject({ intact: true, drift: [] });
  }, 60_000);

  it('marks the bank change on the overview trend, so the jump is not read as progress', async () => {
    await page.goto(`${baseUrl()}/`);
    await page.getByText('(bank 1.1.0 → 1.2.0: not only your controls)').waitFor();
    expect(await page.getByText(/hoh-csam 1\.2\.0 is published/).count()).toBe(0);
    await shot(page, 'bank-upgrade-trend');
  }, 60_000);
});
