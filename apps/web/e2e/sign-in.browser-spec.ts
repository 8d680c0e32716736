import type { BrowserContext } from 'playwright-core';

import { axeReport, expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';
import { narrowShot, shot } from './shots.js';

// The demo login the server prints on first start (DemoSeeder); the browser server seeds it.
const DEMO = { email: 'demo@handonheart.example', password: 'hand-on-heart-demo' };

// Skipped only locally without Chromium (global-setup fails the run under CI=true instead).
const suite = browserTestsSkipped ? describe.skip : describe;

suite('signing in through the browser', () => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await launch();
  });
  afterAll(async () => {
    console.log(axeReport());
    await context.close();
  });
  // Each case starts signed out, as a new visitor would.
  beforeEach(async () => {
    await context.clearCookies();
  });

  it('sends a visitor to the sign-in page, signs in with the demo login and shows the organisation', async () => {
    const page = await context.newPage();
    await page.goto(baseUrl());
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await page.getByText('Northwind File Share (demo)').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.close();
  });

  it('shows the server message for a wrong password and stays on the sign-in page', async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/sign-in`);
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByLabel('Password').fill('definitely not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Email or password is incorrect').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });

  it('opens the "Found suspected material?" guidance without signing in', async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/found-suspected-material`);
    await page.getByText(/do not (open|copy|forward)/i).first().waitFor();
    await page.getByText(/NCMEC/).first().waitFor();
    await page.close();
  });

  it('the public screens (sign-in, found-material guidance, verify) have no serious or critical axe-core violations', async () => {
    const page = await context.newPage();
    const screens = [
      { path: '/sign-in', name: 'sign-in', ready: page.getByRole('button', { name: 'Sign in' }) },
      { path: '/found-suspected-material', name: 'found-material', ready: page.getByText(/NCMEC/).first() },
      { path: '/verify', name: 'verify', ready: page.getByRole('heading', { name: 'Verify a report' }) },
    ];
    for (const s of screens) {
      await page.goto(`${baseUrl()}${s.path}`);
      await s.ready.waitFor();
      await expectAccessible(page, s.name);
      await shot(page, `00-${s.name}`);
      await narrowShot(page, `00-${s.name}`);
    }
    await page.close();
  });

  it('loads no font, script or style from outside the server', async () => {
    const page = await context.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.origin !== new URL(baseUrl()).origin && url.protocol !== 'data:') outside.push(r.url());
    });
    await page.goto(`${baseUrl()}/sign-in`);
    await page.waitForLoadState('networkidle');
    expect(outside).toEqual([]);
    await page.close();
  });
});
