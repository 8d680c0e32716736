/// <reference lib="dom" />
// page.evaluate / frame.evaluate bodies run in the browser, so this file also sees the DOM types.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import type { BrowserContext, Frame, Page, Request } from 'playwright-core';
import PDFDocument from 'pdfkit';

import { expectAccessible } from './axe.js';
import { baseUrl, browserTestsSkipped, launch } from './browser.js';
import { shot } from './shots.js';

/** What the user sees now (the viewport), for screens with a modal: a full-page capture misplaces the fixed backdrop. */
async function viewShot(page: Page, name: string): Promise<void> {
  const dir = resolve(process.cwd(), 'test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: resolve(dir, `${name}.png`) });
}

/**
 * Issue 24 §1: evidence a reviewer can open. A PDF previews in the browser with pdf.js inside a
 * sandboxed, opaque-origin frame that can reach neither the app nor the network; a PDF's JavaScript
 * runs nowhere; an auditor can open and download; pdf.js stays out of the initial JS.
 */
const RUN = Date.now().toString(36);
const OWNER = { name: 'Priya Owner', email: `owner-preview-${RUN}@example.org`, password: 'a long enough passphrase', organisationName: `Preview Test Ltd ${RUN}` };
const ASSESSOR = { name: 'Robin Reviewer', email: `assessor-preview-${RUN}@example.org`, password: 'a reviewer passphrase' };
const AUDITOR = { name: 'Ada Auditor', email: `auditor-preview-${RUN}@example.org`, password: 'an auditor passphrase' };
const POLICY_TITLE = 'Hash-matching policy v3';
const POLICY_TEXT = 'Every upload is hash-matched against the IWF list before it is stored';
const NOTES_TITLE = 'Moderator training notes';

const suite = browserTestsSkipped ? describe.skip : describe;

interface Session {
  cookie: string;
  csrf: string;
  orgId: string;
}

async function api(path: string, init: RequestInit & { session?: Session } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.session) {
    headers.set('cookie', init.session.cookie);
    headers.set('x-csrf-token', init.session.csrf);
  }
  return fetch(`${baseUrl()}${path}`, { ...init, headers, redirect: 'manual' });
}

async function sessionFrom(res: Response): Promise<Session> {
  if (!res.ok) throw new Error(`${res.url} answered ${String(res.status)}: ${await res.text()}`);
  const cookie = (res.headers.getSetCookie().find((c) => c.includes('hoh_session=')) ?? '').split(';')[0] ?? '';
  const body = (await res.json()) as { csrfToken?: string; memberships?: { organisationId: string }[] };
  let csrf = body.csrfToken;
  let orgId = body.memberships?.[0]?.organisationId;
  if (!csrf || !orgId) {
    const me = (await (await api('/api/v1/auth/me', { headers: { cookie } })).json()) as { csrfToken: string; memberships: { organisationId: string }[] };
    csrf = me.csrfToken;
    orgId = me.memberships[0]!.organisationId;
  }
  return { cookie, csrf, orgId };
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function join(owner: Session, who: { name: string; email: string; password: string }, role: 'assessor' | 'auditor'): Promise<Session> {
  const invited = await api(`/api/v1/orgs/${owner.orgId}/invitations`, { ...json({ email: who.email, role }), session: owner });
  if (invited.status !== 201) throw new Error(`invitation: ${String(invited.status)} ${await invited.text()}`);
  const { token } = (await invited.json()) as { token: string };
  return sessionFrom(await api(`/api/v1/invitations/${encodeURIComponent(token)}/accept`, json({ name: who.name, email: who.email, password: who.password })));
}

async function upload(owner: Session, file: { name: string; type: string; bytes: Buffer }, title: string, kind: string): Promise<Response> {
  const form = new FormData();
  form.set('title', title);
  form.set('kind', kind);
  form.set('issuedAt', '2026-03-01T00:00:00.000Z');
  form.set('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return api(`/api/v1/orgs/${owner.orgId}/evidence`, { method: 'POST', body: form, session: owner });
}

/** A real, two-page PDF as office software makes them (pdfkit: compressed streams, xref table). */
function policyPdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { Title: POLICY_TITLE } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(22).text(POLICY_TITLE);
    doc.moveDown().fontSize(12).text(`${POLICY_TEXT}. Matches are reported to the NCA within 24 hours.`);
    doc.rect(72, 300, 200, 80).fill('#1d4ed8');
    doc.addPage().fontSize(12).fillColor('#000').text('Page two: review history. Approved by the board, March 2026.');
    doc.end();
  });
}

/**
 * A one-page PDF whose /OpenAction runs JavaScript that would call home (and, were pdf.js a full
 * viewer, a second action that opens a URL). Written by hand so every byte is known.
 */
function pdfWithJavaScript(callHome: string): Buffer {
  const objects = [
    `<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R /AA << /WC 7 0 R >> /Names << /JavaScript << /Names [(boot) 5 0 R] >> >> >>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >> >>',
    null, // content stream, below
    `<< /S /JavaScript /JS (app.alert\\('pdf javascript ran'\\); this.submitForm\\('${callHome}?via=submitForm'\\); app.launchURL\\('${callHome}?via=launchURL', true\\);) /Next 7 0 R >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /S /URI /URI (${callHome}?via=uri) >>`,
  ];
  const content = 'BT /F1 24 Tf 72 760 Td (A PDF that tries to run JavaScript) Tj ET';
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += body === null ? `${String(i + 1)} 0 obj\n<< /Length ${String(content.length)} >>\nstream\n${content}\nendstream\nendobj\n` : `${String(i + 1)} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${String(objects.length + 1)}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${String(objects.length + 1)} /Root 1 0 R >>\nstartxref\n${String(xref)}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

async function signedIn(session: Session): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launch();
  const [name, value] = session.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: baseUrl() }]);
  return { context, page: await context.newPage() };
}

async function previewFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('iframe.pdf-preview__frame').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('The preview frame did not load');
  return frame;
}

suite('evidence preview: PDFs open in a sealed pdf.js frame; opening is what lets a reviewer accept', () => {
  let owner: Session;
  let assessor: Session;
  let auditor: Session;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    owner = await sessionFrom(await api('/api/v1/auth/sign-up', json({ name: OWNER.name, email: OWNER.email, password: OWNER.password, organisationName: OWNER.organisationName })));
    assessor = await join(owner, ASSESSOR, 'assessor');
    auditor = await join(owner, AUDITOR, 'auditor');
    const pdf = await upload(owner, { name: 'hash-matching-policy.pdf', type: 'application/pdf', bytes: await policyPdf() }, POLICY_TITLE, 'policy');
    expect(pdf.status).toBe(201);
    const notes = await upload(owner, { name: 'training-notes.txt', type: 'text/plain', bytes: Buffer.from('Moderators completed the CSAM-handling module on 2 March 2026.\n') }, NOTES_TITLE, 'training_record');
    expect(notes.status).toBe(201);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
  });

  it('refuses a PDF carrying JavaScript at upload (the first line of defence)', async () => {
    const res = await upload(owner, { name: 'scripted.pdf', type: 'application/pdf', bytes: pdfWithJavaScript(`${baseUrl()}/pwned`) }, 'Scripted', 'policy');
    expect(res.status).toBe(415);
  });

  it('keeps pdf.js out of the initial JS: the overview loads no preview code', async () => {
    const { context, page } = await signedIn(owner);
    contexts.push(context);
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${baseUrl()}/`);
    await page.getByRole('heading', { name: 'Overview', exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => /evidence-preview|pdf/i.test(s))).toEqual([]);
    const html = await (await fetch(`${baseUrl()}/`)).text();
    expect(html).not.toMatch(/evidence-preview/);
  });

  it('a reviewer previews the PDF in a sandboxed, opaque-origin frame that pdf.js draws into; Accept appears only after opening', async () => {
    const { context, page } = await signedIn(assessor);
    contexts.push(context);
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    const frameRequests: Request[] = [];
    page.on('request', (r) => {
      if (r.frame() !== page.mainFrame()) frameRequests.push(r);
    });
    await page.goto(`${baseUrl()}/evidence`);
    const row = page.getByRole('row', { name: new RegExp(POLICY_TITLE) });
    await row.getByText('Policy', { exact: true }).waitFor();
    // Not opened yet: no Accept (the server would answer 409 EVIDENCE_NOT_OPENED), only the hint.
    await row.getByText('Open it before you accept it.').waitFor();
    expect(await row.getByRole('button', { name: `Accept ${POLICY_TITLE}` }).count()).toBe(0);
    await expectAccessible(page, 'evidence library (reviewer)');

    await row.getByRole('button', { name: `Preview ${POLICY_TITLE}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/^2 pages\./).waitFor({ timeout: 20_000 });
    const iframe = dialog.locator('iframe.pdf-preview__frame');
    expect(await iframe.getAttribute('sandbox')).toBe('allow-scripts');
    const frame = await previewFrame(page);

    // pdf.js drew the pages (ink on the canvas) and extracted their text.
    const drawn = await frame.evaluate(() => {
      const canvases = [...document.querySelectorAll('canvas')];
      const first = canvases[0]!;
      const pixels = first.getContext('2d')!.getImageData(0, 0, first.width, first.height).data;
      let ink = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 200 || pixels[i + 1]! < 200) ink += 1;
      return { canvases: canvases.length, ink, text: [...document.querySelectorAll('.page__text')].map((c) => c.textContent).join(' ') };
    });
    expect(drawn.canvases).toBe(2);
    expect(drawn.ink).toBeGreaterThan(1000);
    expect(drawn.text).toContain(POLICY_TEXT);

    // The frame is sealed: opaque origin, no cookies, no storage, no parent DOM, no network.
    const sealed = await frame.evaluate(async () => {
      const attempt = async (f: () => unknown) => {
        try {
          await f();
          return 'allowed';
        } catch (e) {
          return e instanceof Error ? e.name : 'refused';
        }
      };
      return {
        origin: window.origin,
        cookie: await attempt(() => document.cookie),
        storage: await attempt(() => window.localStorage.length),
        parentDom: await attempt(() => window.parent.document.title),
        api: await attempt(() => fetch('/api/v1/auth/me')),
      };
    });
    expect(sealed).toEqual({ origin: 'null', cookie: 'SecurityError', storage: 'SecurityError', parentDom: 'SecurityError', api: 'TypeError' });
    // Everything the frame loaded is its own page and bundled assets: no API call, no fetch of the file.
    const fetched = frameRequests.map((r) => new URL(r.url()).pathname);
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.filter((p) => p !== '/evidence-preview.html' && !/^\/assets\/[\w.-]+\.(js|css)$/.test(p))).toEqual([]);
    await viewShot(page, '24-evidence-pdf-preview');

    // Opening recorded an open; after the refetch Accept is offered, and it succeeds.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await row.getByRole('button', { name: `Accept ${POLICY_TITLE}` }).click();
    await row.getByText('Counts towards the score').waitFor();
    expect(consoleErrors.filter((e) => !/Content Security Policy|favicon/i.test(e))).toEqual([]);
  });

  it('runs nothing from a PDF with an /OpenAction JavaScript, even handed straight to the frame', async () => {
    const { context, page } = await signedIn(assessor);
    contexts.push(context);
    const callHome = `${baseUrl()}/pwned`;
    const calledHome: string[] = [];
    const dialogs: string[] = [];
    context.on('request', (r) => {
      if (r.url().includes('/pwned')) calledHome.push(r.url());
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const popups: string[] = [];
    context.on('page', (p) => popups.push(p.url()));

    await page.goto(`${baseUrl()}/evidence`);
    const row = page.getByRole('row', { name: new RegExp(POLICY_TITLE) });
    await row.getByRole('button', { name: `Preview ${POLICY_TITLE}` }).click();
    await page.getByRole('dialog').getByText(/^2 pages\./).waitFor({ timeout: 20_000 });
    // The server refuses such a file at upload; this proves the frame would not run it either.
    const bytes = [...pdfWithJavaScript(callHome)];
    await page.evaluate((data) => {
      const frame = document.querySelector<HTMLIFrameElement>('iframe.pdf-preview__frame')!;
      const buffer = new Uint8Array(data).buffer;
      frame.contentWindow!.postMessage({ type: 'hoh-preview-render', bytes: buffer, fileName: 'scripted.pdf' }, '*', [buffer]);
    }, bytes);
    await page.getByRole('dialog').getByText(/^1 page\./).waitFor({ timeout: 20_000 });
    const frame = await previewFrame(page);
    expect(await frame.evaluate(() => document.querySelector('.page__text')?.textContent)).toContain('A PDF that tries to run JavaScript');
    // Give any action its chance: click the page, then wait for the page's network to settle.
    await frame.locator('canvas').first().click();
    await page.waitForLoadState('networkidle');
    expect({ calledHome, dialogs, popups }).toEqual({ calledHome: [], dialogs: [], popups: [] });
    await viewShot(page, '25-evidence-pdf-with-javascript');
  });

  it('an auditor can preview and download, and is offered no review control', async () => {
    const { context, page } = await signedIn(auditor);
    contexts.push(context);
    await page.goto(`${baseUrl()}/evidence`);
    const pdfRow = page.getByRole('row', { name: new RegExp(POLICY_TITLE) });
    await pdfRow.getByRole('button', { name: `Preview ${POLICY_TITLE}` }).click();
    await page.getByRole('dialog').getByText(/^2 pages\./).waitFor({ timeout: 20_000 });
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await pdfRow.getByText(/^You opened it /).waitFor();

    const notesRow = page.getByRole('row', { name: new RegExp(NOTES_TITLE) });
    await notesRow.getByText('Training record', { exact: true }).waitFor();
    expect(await notesRow.getByRole('button', { name: `Preview ${NOTES_TITLE}` }).count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), notesRow.getByRole('button', { name: `Download ${NOTES_TITLE}` }).click()]);
    expect(download.suggestedFilename()).toBe('training-notes.txt');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(path, 'utf8')).toContain('CSAM-handling module');
    await notesRow.getByText(/^You opened it /).waitFor();
    expect(await page.getByRole('main').getByRole('button', { name: /^(Accept|Reject) / }).count()).toBe(0);
    await expectAccessible(page, 'evidence library (auditor)');
    await shot(page, '26-evidence-auditor');
  });

  it('a link opens through the recording redirect and a document id is marked looked up; each then lets the reviewer accept', async () => {
    // A link to a page on this server, so the test never leaves the machine.
    const target = `${baseUrl()}/found-suspected-material`;
    for (const body of [
      { title: 'Reporting runbook', kind: 'procedure', externalRef: target, issuedAt: '2026-03-01T00:00:00.000Z' },
      { title: 'Board minutes March', kind: 'minutes', externalRef: 'DMS-4711', issuedAt: '2026-03-01T00:00:00.000Z' },
    ]) {
      expect((await api(`/api/v1/orgs/${owner.orgId}/evidence`, { ...json(body), session: owner })).status).toBe(201);
    }
    const { context, page } = await signedIn(assessor);
    contexts.push(context);
    await page.goto(`${baseUrl()}/evidence`);

    const linkRow = page.getByRole('row', { name: /Reporting runbook/ });
    await linkRow.getByText('Open it before you accept it.').waitFor();
    const open = linkRow.getByRole('link', { name: 'Open link Reporting runbook (new tab)' });
    expect(await open.getAttribute('href')).toMatch(/\/evidence\/[0-9a-f-]{36}\/open$/);
    const [tab] = await Promise.all([context.waitForEvent('page'), open.click()]);
    await tab.waitForURL(target);
    await tab.close();
    // Back on the library: it refetches when the window has focus again, and Accept appears.
    await page.bringToFront();
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await linkRow.getByRole('button', { name: 'Accept Reporting runbook' }).click();
    await linkRow.getByText('Counts towards the score').waitFor();

    const refRow = page.getByRole('row', { name: /Board minutes March/ });
    await refRow.getByText('DMS-4711', { exact: true }).waitFor();
    await refRow.getByText('Look it up before you accept it.').waitFor();
    await refRow.getByRole('button', { name: 'I looked up Board minutes March' }).click();
    await refRow.getByText(/^You looked it up /).waitFor();
    await refRow.getByRole('button', { name: 'Accept Board minutes March' }).click();
    await refRow.getByText('Counts towards the score').waitFor();
    await shot(page, '27-evidence-link-and-reference');
  });

  it('serves the preview page with its own sealed CSP, and the app page stays unframeable', async () => {
    const preview = await fetch(`${baseUrl()}/evidence-preview.html`);
    const csp = preview.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'self'/);
    expect(csp).toMatch(/connect-src 'none'/);
    expect(csp).toMatch(/sandbox allow-scripts(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|allow-same-origin/);
    const app = await fetch(`${baseUrl()}/evidence`);
    expect(app.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });
});
