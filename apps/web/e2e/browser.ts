import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type BrowserContext, chromium } from 'playwright-core';

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
