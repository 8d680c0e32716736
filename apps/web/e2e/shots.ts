import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { Page } from 'playwright-core';

// Gitignored test artefacts: one PNG per main screen, at 1280 px and, for some, 390 px wide.
const dir = resolve(process.cwd(), 'test-results/screenshots');

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

export async function narrowShot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, `${name}-390`);
  if (size) await page.setViewportSize(size);
}
