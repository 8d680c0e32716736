import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { simpleParser } from 'mailparser';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { axeReport, expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';

// Skipped only locally without Chromium (global-setup fails the run under CI=true instead), and when
// pointed at a server started by hand (its mail folder is not known).
const suite = browserTestsSkipped || !process.env['HOH_BROWSER_DATA_DIR'] ? describe.skip : describe;

/**
 * The server's PUBLIC_URL is http://localhost:PORT (no DATABASE_URL), so its passkeys belong to the
 * relying party "localhost". The other specs talk to 127.0.0.1; here the page opens the product at
 * its public address, and 127.0.0.1 plays the other site a passkey must not work on.
 */
const publicBase = () => baseUrl().replace('//127.0.0.1:', '//localhost:');

/** The confirmation links mailed to `email` so far, oldest first (.eml files under DATA_DIR/mail: no SMTP here). */
async function mailedConfirmations(email: string): Promise<URL[]> {
  const folder = join(process.env['HOH_BROWSER_DATA_DIR']!, 'mail');
  const found: { at: number; link: URL }[] = [];
  for (const file of existsSync(folder) ? readdirSync(folder) : []) {
    const mail = await simpleParser(readFileSync(join(folder, file)));
    const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
    if (!to.some((a) => a.value.some((v) => v.address === email))) continue;
    const link = /https?:\/\/\S+\/confirm-email#token=\S+/.exec(mail.text ?? '')?.[0];
    if (link) found.push({ at: statSync(join(folder, file)).mtimeMs, link: new URL(link) });
  }
  return found.sort((x, y) => x.at - y.at).map((f) => f.link);
}

/** Waits (polling: the mail job runs on its own schedule) until `count` confirmation links reached `email`; answers the newest. */
async function newestConfirmation(email: string, count: number, withinMs = 30_000): Promise<URL> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const links = await mailedConfirmations(email);
    if (links.length >= count) return links[links.length - 1]!;
    if (Date.now() > deadline) throw new Error(`${String(links.length)} confirmation mail(s) for ${email} within ${String(withinMs / 1000)} s, not ${String(count)}`);
    await sleep(250);
  }
}

/**
 * Chromium's virtual authenticator (CDP WebAuthn domain, through playwright-core's public
 * newCDPSession): a platform authenticator with user verification that always verifies, so the
 * ceremonies run without a prompt. It lives as long as the page's target, across navigations.
 */
async function addVirtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

async function signInWithPassword(page: Page, base: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

suite('email confirmation and passkeys in the browser (docs/PRODUCT.md §2.5)', () => {
  let context: BrowserContext;
  const who = { name: 'Pat Passkey', email: `passkey-${String(Date.now())}@example.org`, password: 'a passphrase for the passkey spec', organisation: 'Passkey Test Ltd' };

  beforeAll(async () => {
    context = await launch();
    await new ApiMember().signUp(who);
  });
  afterAll(async () => {
    console.log(axeReport());
    await context.close();
  });

  it('asks to confirm the address until the mailed link is followed', async () => {
    const page = await context.newPage();
    await signInWithPassword(page, publicBase(), who);
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    const banner = page.getByRole('status').filter({ hasText: 'Please confirm your email address' });
    await banner.waitFor();
    // The sign-up's link arrives; sending a new one withdraws it, so the newest is the one to follow.
    await newestConfirmation(who.email, 1);
    await banner.getByRole('button', { name: 'Email me a new confirmation link' }).click();
    await banner.getByText(/We have emailed a new confirmation link/).waitFor();
    const link = await newestConfirmation(who.email, 2, 90_000);
    await page.goto(`${publicBase()}${link.pathname}${link.hash}`);
    await page.getByText('Your email address is confirmed').waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await expectAccessible(page, 'confirm email');
    await page.getByRole('link', { name: 'Continue to Hand on Heart' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await page.getByText('Please confirm your email address').waitFor({ state: 'detached' });
    await page.close();
  });

  it('adds a passkey on /account, signs in with password and passkey, and the passkey does not work on another origin', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
    await signInWithPassword(page, publicBase(), who);
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();

    await page.goto(`${publicBase()}/account`);
    await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await page.getByText('You have no passkey yet.').waitFor();
    const add = page.getByRole('form', { name: 'Add a passkey' });
    await add.getByLabel('Passkey name').fill('Work laptop');
    await add.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('Passkey “Work laptop” added').waitFor();
    await page.getByRole('cell', { name: 'Work laptop', exact: true }).waitFor();
    await expectAccessible(page, 'account with a passkey');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.rpId).toBe('localhost');

    // Sign out, then the password alone no longer signs in: the second step offers the passkey.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await signInWithPassword(page, publicBase(), who);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor({ timeout: 10_000 }).catch(async (e: unknown) => {
      throw new Error(`${String(e)}\n${(await page.locator('body').innerText()).slice(0, 1500)}`);
    });
    const me = (await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json())) as { user: { email: string } };
    expect(me.user.email).toBe(who.email);
    await page.goto(`${publicBase()}/account`);
    await page.getByRole('cell', { name: 'Work laptop', exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: 'Never', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();

    // The same browser and authenticator at another origin (the server's IP): the browser will not
    // use a passkey made for "localhost" there, and the sign-in does not happen.
    await signInWithPassword(page, baseUrl(), who);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.getByText('The passkey did not sign you in').waitFor();
    await page.getByText(/work only at its usual address/).waitFor();
    expect(await page.getByRole('heading', { name: 'Overview', exact: true }).count()).toBe(0);
    const status = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(status).toBe(401);
    await page.close();
  });
});
