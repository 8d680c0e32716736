import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

// Flags that keep Chromium offline: without the background-networking ones Chromium keeps dialling out.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const browserTestsSkipped = process.env['HOH_BROWSER_SKIP'] === '1';

export function baseUrl(): string {
  const url = process.env['HOH_BROWSER_BASE_URL'];
  if (!url) throw new Error('HOH_BROWSER_BASE_URL is unset: run browser tests through jest (global-setup.mjs starts the server)');
  return url;
}

/** A fresh Chromium profile per context, so no state leaks between tests. */
export async function launch(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'hoh-chromium-')), {
    executablePath: process.env['HOH_CHROMIUM'] ?? '/usr/bin/chromium',
    args: ARGS,
    viewport: { width: 1280, height: 800 },
  });
}

/** Signs in through the sign-in form, as a person would, and waits for the overview. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl()}/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
}

/**
 * Runs `work` with a connection as the database owner of the server under test (global-setup.mjs),
 * for the few set-ups no route can make (an assessment on an older bank, an action due in the past).
 */
export async function asDatabaseOwner<T>(work: (db: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env['HOH_BROWSER_DB_URL'];
  if (!url)
    throw new Error('HOH_BROWSER_DB_URL is unset: global-setup.mjs sets it when it starts the server (not with HOH_BROWSER_REUSE_URL)');
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}
