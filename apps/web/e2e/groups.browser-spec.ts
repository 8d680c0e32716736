/// <reference lib="dom" />
// Issue 31: groups in the production build. An organisation owner creates a group from the
// navigation, invites another organisation by its id, and once that organisation's owner accepts
// (through the API) the group dashboard shows it in the organisations × domains matrix; a filter
// that excludes it says so, and when it leaves it is gone on the next load. Axe-checked.
import { defaultProfile } from '@hoh/question-bank';
import type { BrowserContext, Page } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { expectAccessible } from './axe.js';
import { browserTestsSkipped, launch, signIn } from './browser.js';

const RUN = Date.now().toString(36);
const OWNER = { name: 'Grace Group', email: `group-owner-${RUN}@example.org`, password: 'a group owner passphrase', organisation: `Acme Holdings ${RUN}` };
const MEMBER = { name: 'Sam Storage', email: `group-member-${RUN}@example.org`, password: 'a member passphrase', organisation: `Acme Storage ${RUN}` };

const suite = browserTestsSkipped ? describe.skip : describe;

suite('groups in the browser (docs/PRODUCT.md §16)', () => {
  let context: BrowserContext | undefined;
  let page: Page;
  const member = new ApiMember();
  let memberOrg = '';

  beforeAll(async () => {
    await new ApiMember().signUp(OWNER);
    const me = await member.signUp(MEMBER);
    memberOrg = me.memberships[0]!.organisationId;
    await member.call('PUT', `/api/v1/orgs/${memberOrg}/profile`, defaultProfile({ services: ['file_storage_sharing'], jurisdictions: ['UK'] }));
    const assessment = await member.call<{ id: string }>('POST', `/api/v1/orgs/${memberOrg}/assessments`, {});
    await member.call('PUT', `/api/v1/orgs/${memberOrg}/assessments/${assessment.id}/answers/HASH-01`, { value: 2 }, { 'if-none-match': '*' });
    context = await launch();
    page = await context.newPage();
    await signIn(page, OWNER);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  it('creates a group, invites an organisation that joins on its owner’s acceptance, shows its summary in the matrix, filters it, and drops it when it leaves', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await page.getByTestId('organisation-id').waitFor();
    await expectAccessible(page, 'groups');
    await page.getByLabel('New group name').fill('Acme group');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'Acme group' }).click();
    await page.getByRole('heading', { name: 'Acme group', level: 1 }).waitFor();
    const groupId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByText(/No member organisation yet/).waitFor();
    await expectAccessible(page, 'empty group');

    await page.getByLabel('Invite an organisation by its id').fill(memberOrg);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByRole('button', { name: 'Withdraw invitation' }).waitFor();
    // Nothing shows until the organisation's own owner accepts.
    await member.call('POST', `/api/v1/orgs/${memberOrg}/groups/${groupId}/accept`);

    await page.reload();
    const matrix = page.getByTestId('group-matrix');
    await matrix.getByRole('rowheader', { name: MEMBER.organisation }).waitFor();
    expect(await matrix.getByRole('columnheader').count()).toBeGreaterThan(5);
    expect(await matrix.locator('.band--red').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('group-totals').textContent()).toMatch(/1 member organisations: 0 signed, 0 ready to attest, 1 could attest only with qualification/);
    expect(await page.getByTestId('group-gaps').getByRole('listitem').first().textContent()).toMatch(/: 1 of 1 organisations$/);
    await expectAccessible(page, 'group dashboard');

    await page.getByLabel('Jurisdiction').selectOption('US');
    await page.getByText('No member organisation matches these filters.').waitFor();
    await page.getByLabel('Jurisdiction').selectOption('UK');
    await matrix.getByRole('rowheader', { name: MEMBER.organisation }).waitFor();

    await member.call('DELETE', `/api/v1/orgs/${memberOrg}/groups/${groupId}`);
    await page.reload();
    await page.getByText(/No member organisation yet/).waitFor();
  });
});
