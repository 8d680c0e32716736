/// <reference lib="dom" />
// Issue 27: single sign-on in the production build, against a real OpenID provider (oidc-provider)
// on this machine. An owner saves the provider under Settings → Single sign-on; a colleague with no
// account then signs in from the sign-in page by their work address: the browser goes to the
// provider and back, and lands signed in, a member just in time. The browser stays on PUBLIC_URL's
// host (localhost), where the provider sends it back, so the cookie binding the sign-in is there.
import type { BrowserContext } from 'playwright-core';

// The same test provider the API suite drives (one copy of its set-up); test code, never shipped.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startTestOpenIdProvider, type TestOpenIdProvider } from '../../api/test/support/oidc-provider.js';
import { ApiMember } from './api-member.js';
import { expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch, signIn } from './browser.js';

const RUN = Date.now().toString(36);
const DOMAIN = `sso-${RUN}.example`;
const OWNER = { name: 'Sol Owner', email: `owner-${RUN}@example.org`, password: 'a single sign-on passphrase', organisation: `SSO Ltd ${RUN}` };

const suite = browserTestsSkipped ? describe.skip : describe;

suite('single sign-on in the browser (docs/PRODUCT.md §2.6)', () => {
  let context: BrowserContext | undefined;
  let idp: TestOpenIdProvider | undefined;
  // The server's PUBLIC_URL (unset: http://localhost:PORT), where the provider sends the browser back.
  const site = () => `http://localhost:${new URL(baseUrl()).port}`;

  beforeAll(async () => {
    idp = await startTestOpenIdProvider({ redirectUri: `${site()}/api/v1/auth/sso/callback` });
    await new ApiMember().signUp(OWNER);
    context = await launch();
  });
  afterAll(async () => {
    await context?.close();
    await idp?.close();
  });

  it('an owner saves the provider, and a new colleague signs in through it and lands in the organisation', async () => {
    const provider = idp!;
    const page = await context!.newPage();
    await signIn(page, OWNER);
    await page.goto(`${baseUrl()}/settings/single-sign-on`);
    await page.getByTestId('sso-redirect-uri').waitFor();
    expect(await page.getByTestId('sso-redirect-uri').textContent()).toBe(`${site()}/api/v1/auth/sso/callback`);
    await page.getByLabel('Issuer URL').fill(provider.issuer);
    await page.getByLabel('Client id').fill(provider.clientId);
    await page.getByLabel('Client secret').fill(provider.clientSecret);
    await page.getByLabel('Email domains').fill(DOMAIN);
    await page.getByLabel(/On: offer single sign-on/).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved: your provider answered').waitFor();
    await expectAccessible(page, 'Settings → Single sign-on');

    await context!.clearCookies();
    provider.nextLogin = { email: `new.colleague@${DOMAIN}`, emailVerified: true, name: 'New Colleague' };
    await page.goto(`${site()}/sign-in`);
    await page.getByRole('button', { name: 'Use single sign-on (SSO)' }).click();
    await page.getByLabel('Your work address').fill(`new.colleague@${DOMAIN}`);
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    expect(new URL(page.url()).origin).toBe(site());
    await page.getByText(OWNER.organisation).first().waitFor();
    await page.close();
  });

  it('brings a refused sign-in back to the sign-in page with what to do', async () => {
    const provider = idp!;
    await context!.clearCookies();
    const page = await context!.newPage();
    provider.nextLogin = { email: `unverified@${DOMAIN}`, emailVerified: false };
    await page.goto(`${site()}/sign-in`);
    await page.getByRole('button', { name: 'Use single sign-on (SSO)' }).click();
    await page.getByLabel('Your work address').fill(`unverified@${DOMAIN}`);
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
    await page.getByText('did not confirm your email address').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });
});
