import { generateSync } from 'otplib';
import type { BrowserContext } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { axeReport, expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch, signIn } from './browser.js';

// Skipped only locally without Chromium (global-setup fails the run under CI=true instead).
const suite = browserTestsSkipped ? describe.skip : describe;

/** The code an authenticator app shows `offsetSeconds` from now (the server accepts one step either side). */
const codeFor = (secret: string, offsetSeconds = 0) => generateSync({ secret: secret.replace(/ /g, ''), epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

suite('two-factor authentication in the browser (docs/PRODUCT.md §2.7)', () => {
  let context: BrowserContext;
  const who = { name: 'Toni Totp', email: `totp-${String(Date.now())}@example.org`, password: 'a passphrase for the totp spec', organisation: 'Totp Test Ltd' };

  beforeAll(async () => {
    context = await launch();
    await new ApiMember().signUp(who);
  });
  afterAll(async () => {
    console.log(axeReport());
    await context.close();
  });

  it('sets up an authenticator app on /account, shows the recovery codes once, then signs in with password and code', async () => {
    const page = await context.newPage();
    await signIn(page, who);
    await page.goto(`${baseUrl()}/account`);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    expect(secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(await page.getByRole('link', { name: 'this setup link' }).getAttribute('href')).toMatch(/^otpauth:\/\/totp\//);
    await expectAccessible(page, 'two-factor set-up');
    await page.getByLabel('Code from the app').fill(codeFor(secret));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText(/10 recovery codes left/).waitFor();
    expect(await page.getByRole('list', { name: 'Recovery codes' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await expectAccessible(page, 'sign-in second step');
    // The set-up used this step's code, and a code is accepted once: the app's next one (30 s on) signs in.
    await page.getByLabel('Authentication code').fill(codeFor(secret, 30));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    const status = (await page.evaluate(async () => (await fetch('/api/v1/auth/two-factor')).json())) as { sessionHasSecondFactor: boolean };
    expect(status.sessionHasSecondFactor).toBe(true);
    await page.close();
  });
});
