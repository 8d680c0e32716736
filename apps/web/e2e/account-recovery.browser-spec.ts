import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { MeResponse } from '@hoh/contracts';
import { simpleParser } from 'mailparser';
import type { BrowserContext } from 'playwright-core';

import { ApiMember } from './api-member.js';
import { axeReport, expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';

// Skipped only locally without Chromium (global-setup fails the run under CI=true instead), and when
// pointed at a server started by hand (its mail folder is not known).
const suite = browserTestsSkipped || !process.env['HOH_BROWSER_DATA_DIR'] ? describe.skip : describe;

/**
 * The reset link mailed to `email`: the server has no SMTP here, so it writes each message as an
 * .eml file under DATA_DIR/mail (the mail job sends within seconds of the request). Polled, because
 * the mail job runs on its own schedule; nothing here waits for a fixed time.
 */
async function mailedLink(email: string, withinMs = 30_000): Promise<URL> {
  const folder = join(process.env['HOH_BROWSER_DATA_DIR']!, 'mail');
  const deadline = Date.now() + withinMs;
  for (;;) {
    for (const file of existsSync(folder) ? readdirSync(folder) : []) {
      const mail = await simpleParser(readFileSync(join(folder, file)));
      const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
      if (!to.some((a) => a.value.some((v) => v.address === email))) continue;
      const link = /https?:\/\/\S+\/reset-password#token=\S+/.exec(mail.text ?? '')?.[0];
      if (link) return new URL(link);
    }
    if (Date.now() > deadline) throw new Error(`No reset mail for ${email} in ${folder} within ${String(withinMs / 1000)} s`);
    await sleep(250);
  }
}

suite('password reset and sessions in the browser (docs/PRODUCT.md §2.5)', () => {
  let context: BrowserContext;
  const email = `reset-${String(Date.now())}@example.org`;
  const first = 'first passphrase for the browser';
  const second = 'second passphrase, chosen after the reset';
  const elsewhere = new ApiMember();

  beforeAll(async () => {
    context = await launch();
    await elsewhere.call<MeResponse>('POST', '/api/v1/auth/sign-up', { name: 'Robin Reset', email, password: first, organisationName: 'Reset Test Ltd' });
  });
  afterAll(async () => {
    console.log(axeReport());
    await context.close();
  });

  it('asks for a link, follows the mailed link, sets a new password and is signed out everywhere else', async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await expectAccessible(page, 'forgot-password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Email me a reset link' }).click();
    await page.getByText('Check your email').waitFor();

    const link = await mailedLink(email);
    // The link names PUBLIC_URL (localhost here); the browser talks to the same server by its IP.
    await page.goto(`${baseUrl()}${link.pathname}${link.hash}`);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel(/^New password/).fill(second);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('Your password is changed').waitFor();
    await expect(elsewhere.call('GET', '/api/v1/auth/me')).rejects.toThrow(/answered 401/);

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(second);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await page.close();
  });

  it('lists the sessions on the account page with their device and ends another one', async () => {
    await elsewhere.call<MeResponse>('POST', '/api/v1/auth/sign-in', { email, password: second });
    const page = await context.newPage();
    await page.goto(baseUrl());
    await page.getByRole('link', { name: /Robin Reset/ }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    const table = page.getByRole('table', { name: 'Your sign-in sessions' });
    await table.getByText('(this browser)').waitFor();
    expect(await table.getByRole('row').count()).toBe(3); // header + this browser + the API's
    await expectAccessible(page, 'account');
    await table.getByRole('button', { name: /End this session/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('table tbody tr').length === 1);
    await expect(elsewhere.call('GET', '/api/v1/auth/me')).rejects.toThrow(/answered 401/);
    await page.close();
  });
});
