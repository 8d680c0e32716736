// Front-end budgets (docs/SCALING.md §5 records them), measured on the production build in headless Chromium
// against the production API (its own embedded PostgreSQL in a temp folder, demo data seeded):
//   web.initialJs.gzipKiB  JS the browser actually loads for the first screen (sign-in when signed
//                          out, the overview when signed in; the larger counts), gzip -9 of each file
//                          served from apps/web/dist. Budget ≤ 250 KiB.
//   web.lcp.ms             Largest Contentful Paint of the overview with the demo data: median of
//                          COLD_LOADS loads, each in a fresh browser context (empty cache), signed in
//                          by cookie. Budget ≤ 1,500 ms.
//   web.inp.ms             Interaction to Next Paint for choosing an answer level in the questionnaire
//                          (which autosaves): p75 of INTERACTIONS clicks, each interaction's duration
//                          from the Event Timing API (durationThreshold 16, the smallest allowed; an
//                          interaction under it counts as 16). Budget ≤ 200 ms. The time until the
//                          "Saved" state shows is reported beside it.
/* global window, requestAnimationFrame -- page.evaluate and addInitScript bodies run in the browser */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { build } from '../tools/build.mjs';
import { API_NODE_FLAGS, apiMain, buildIsStale } from '../tools/lib.mjs';
import { busyBefore, busyNote, freePort, median, percentile, spawnNode, stop, verdict, waitFor } from './http-lib.mjs';

const DEMO = { email: 'demo@handonheart.example', password: 'hand-on-heart-demo' };
const COLD_LOADS = 5;
const INTERACTIONS = 20;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function run(ctx) {
  if (buildIsStale() && (await build()) !== 0) throw new Error('the production build failed');
  const dist = join(ctx.root, 'apps/web/dist');
  if (!existsSync(apiMain) || !existsSync(join(dist, 'index.html'))) throw new Error('no production build (npm run build)');
  const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean).find((p) => existsSync(p));
  if (!executablePath) throw new Error('Chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH)');

  const [port, pgPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const api = spawnNode([...API_NODE_FLAGS, apiMain], { DATABASE_URL: '', NODE_ENV: 'production', PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: mkdtempSync(join(tmpdir(), 'hoh-bench-web-')), DEMO_SEED: 'true', LOG_LEVEL: 'silent' }, { cwd: ctx.root });
  const browser = await chromium.launch({ executablePath, args: ARGS });
  try {
    await waitFor(`${base}/api/health`, api);
    const cookies = await signIn(base);
    const busy = await busyBefore(ctx, { windowMs: 10_000 });
    const note = busy ? busyNote() : undefined;

    // 1. Initial JS: what the browser requests for the first screen, signed out and signed in.
    const gzipOf = (url) => gzipSync(readFileSync(join(dist, new URL(url).pathname)), { level: 9 }).length;
    const signedOut = await scriptsLoaded(browser, `${base}/sign-in`, [], (p) => p.getByRole('button', { name: 'Sign in' }).waitFor());
    const signedIn = await scriptsLoaded(browser, `${base}/`, cookies, (p) => p.getByRole('heading', { name: 'Ready to attest?' }).waitFor());
    const kib = (urls) => urls.reduce((sum, u) => sum + gzipOf(u), 0) / 1024;
    const [outKiB, inKiB] = [kib(signedOut), kib(signedIn)];
    ctx.log(`initial JS: sign-in ${outKiB.toFixed(1)} KiB gzip in ${signedOut.length} files; overview ${inKiB.toFixed(1)} KiB gzip in ${signedIn.length} files`);
    const initialKiB = Math.max(outKiB, inKiB);

    // 2. LCP of the overview, cold.
    // Each load's first paint and API answers beside its LCP, so a slow run shows where the time went.
    const loads = [];
    for (let i = 0; i < COLD_LOADS; i += 1) loads.push(await overviewLcp(browser, base, cookies));
    ctx.log(`overview LCP, ${COLD_LOADS} cold loads: ${loads.map((x) => x.lcp.toFixed(0)).join(', ')} ms`);
    ctx.log(`  first contentful paint at ${loads.map((x) => x.fcp.toFixed(0)).join(', ')} ms; /auth/me answered at ${loads.map((x) => x.me.toFixed(0)).join(', ')} ms; dashboard answered at ${loads.map((x) => x.dashboard.toFixed(0)).join(', ')} ms`);
    const lcp = median(loads.map((x) => x.lcp));

    // 3. INP of choosing an answer (autosaved).
    const { durations, saved } = await answerInteractions(browser, base, cookies);
    ctx.log(`answer clicks, INP per interaction: ${durations.map((x) => x.toFixed(0)).join(', ')} ms; click → "Saved" median ${median(saved).toFixed(0)} ms`);
    const inp = percentile(durations, 75);

    return [
      { id: 'web.initialJs.gzipKiB', value: Number(initialKiB.toFixed(1)), unit: 'KiB', target: '≤ 250', pass: initialKiB <= 250, note: `sign-in ${outKiB.toFixed(1)}, overview ${inKiB.toFixed(1)} (shell + route chunks actually requested)` },
      { id: 'web.lcp.ms', value: Math.round(lcp), unit: 'ms', target: '≤ 1500', pass: verdict(lcp <= 1500, busy), note: `median of ${COLD_LOADS} cold loads, demo data, localhost${note ? `; ${note}` : ''}` },
      { id: 'web.inp.ms', value: Math.round(inp), unit: 'ms', target: '≤ 200', pass: verdict(inp <= 200, busy), note: `p75 of ${durations.length} answer clicks (Event Timing); click → "Saved" median ${Math.round(median(saved))} ms (includes the autosave debounce)${note ? `; ${note}` : ''}` },
    ];
  } finally {
    await browser.close();
    await stop(api);
  }
}

async function signIn(base) {
  const res = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO) });
  if (!res.ok) throw new Error(`demo sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1), url: base };
  });
}

async function scriptsLoaded(browser, url, cookies, ready) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const scripts = new Set();
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script' && new URL(r.url()).origin === new URL(url).origin) scripts.add(r.url());
  });
  await page.goto(url);
  await ready(page);
  await page.waitForLoadState('networkidle');
  await context.close();
  return [...scripts];
}

async function overviewLcp(browser, base, cookies) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies(cookies);
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__lcp = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Ready to attest?' }).waitFor();
  await page.getByRole('heading', { name: 'Trend' }).waitFor();
  // Two frames, so the paint of the last content is observed before it is read.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const timings = await page.evaluate(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const fetched = (part) => performance.getEntriesByType('resource').find((r) => r.initiatorType === 'fetch' && r.name.includes(part));
    return { lcp: window.__lcp, fcp: paint?.startTime ?? NaN, me: fetched('/auth/me')?.responseEnd ?? NaN, dashboard: fetched('/dashboard')?.responseEnd ?? NaN };
  });
  await context.close();
  return timings;
}

async function answerInteractions(browser, base, cookies) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies(cookies);
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__interactions = new Map();
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!e.interactionId) continue;
        window.__interactions.set(e.interactionId, Math.max(window.__interactions.get(e.interactionId) ?? 0, e.duration));
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  });
  await page.goto(`${base}/questionnaire`);
  const cards = page.locator('article.question');
  await cards.first().waitFor();
  await page.getByTestId('questionnaire-score').waitFor();
  const maturity = cards.filter({ has: page.getByRole('radio', { name: /^Level 2/ }) });
  const count = Math.min(await maturity.count(), 5);
  if (count === 0) throw new Error('no maturity question on the first questionnaire page');
  const durations = [];
  const saved = [];
  for (let i = 0; i < INTERACTIONS; i += 1) {
    const card = maturity.nth(i % count);
    const level = i % 2 === 0 ? 'Level 2' : 'Level 3';
    const radio = card.getByRole('radio', { name: new RegExp(`^${level}`) });
    if (await radio.isChecked()) await card.getByRole('radio', { name: /^Level 1/ }).click();
    await page.waitForTimeout(150);
    const before = await page.evaluate(() => window.__interactions.size);
    const started = Date.now();
    await radio.click();
    // The card leaves its previous "Saved" state at once; wait for the new one.
    await card.getByText('Saved', { exact: true }).waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => undefined);
    await card.getByText('Saved', { exact: true }).waitFor({ timeout: 15_000 });
    saved.push(Date.now() - started);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const after = await page.evaluate(() => [...window.__interactions.values()]);
    // Interactions below the 16 ms threshold are not reported: count them at the threshold.
    const mine = after.slice(before);
    durations.push(mine.length > 0 ? Math.max(...mine) : 16);
  }
  await context.close();
  return { durations, saved };
}
