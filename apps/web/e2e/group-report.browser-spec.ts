/// <reference lib="dom" />
// Issue 31 items 1 and 3 in the production build: a member organisation's owner grants its group full
// read from the Groups page (and sees it granted), and the group's owner generates the group board
// report from the group page and gets its download link once the worker has rendered it. Axe-checked.
import { defaultProfile } from '@hoh/question-bank';
import type { BrowserContext, Page } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch, signIn } from './browser.js';

const RUN = Date.now().toString(36);
const OWNER = { name: 'Greta Group', email: `group-report-owner-${RUN}@example.org`, password: 'a group owner passphrase', organisation: `Acme Group ${RUN}` };
const MEMBER = { name: 'Mo Member', email: `group-report-member-${RUN}@example.org`, password: 'a member passphrase', organisation: `Acme Forum ${RUN}` };

const suite = browserTestsSkipped ? describe.skip : describe;

suite('the group board report and full read in the browser (docs/PRODUCT.md §16.5–16.6)', () => {
  let context: BrowserContext | undefined;
  let page: Page;
  const owner = new ApiMember();
  let groupId = '';

  beforeAll(async () => {
    await owner.signUp(OWNER);
    const member = new ApiMember();
    const me = await member.signUp(MEMBER);
    const memberOrg = me.memberships[0]!.organisationId;
    await member.call('PUT', `/api/v1/orgs/${memberOrg}/profile`, defaultProfile({ services: ['user_to_user'], jurisdictions: ['UK'] }));
    groupId = (await owner.call<{ id: string }>('POST', '/api/v1/groups', { name: `Holdings ${RUN}` })).id;
    await owner.call('POST', `/api/v1/groups/${groupId}/invitations`, { organisationId: memberOrg });
    await member.call('POST', `/api/v1/orgs/${memberOrg}/groups/${groupId}/accept`);
    context = await launch();
    page = await context.newPage();
    await signIn(page, MEMBER);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  it('lets the member’s owner grant full read, and the group’s owner generate and download the group report', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('button', { name: `Grant Holdings ${RUN} full read` }).click();
    await page.getByText('Granted: answers, evidence list and latest report').waitFor();
    await page.getByRole('button', { name: `Revoke Holdings ${RUN}’s full read` }).waitFor();
    await expectAccessible(page, 'groups with full read');

    await context!.clearCookies();
    await signIn(page, OWNER);
    await page.goto(`${baseUrl()}/groups/${groupId}`);
    await page.getByRole('button', { name: 'Generate group report' }).click();
    const link = page.getByRole('link', { name: 'Download the PDF' });
    await link.waitFor({ timeout: 30_000 });
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^/api/v1/groups/${groupId}/reports/[0-9a-f-]{36}/pdf$`));
    await expectAccessible(page, 'group reports');
  });
});
