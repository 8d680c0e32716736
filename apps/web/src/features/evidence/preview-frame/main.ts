/**
 * The PDF preview frame (evidence-preview.html): renders one PDF with pdf.js and nothing else.
 *
 * Why a frame of its own (issue 24 §1, docs/SECURITY.md): a PDF is untrusted input from any member.
 * The app loads this page in `<iframe sandbox="allow-scripts">` (no allow-same-origin), so the frame
 * has an opaque origin: it cannot read the app's DOM, cookies, storage or CSRF token, nor call the API
 * as the member. Its own Content-Security-Policy (apps/api/src/app.setup.ts) lets it load only its
 * bundled scripts and styles and connect nowhere. The app fetches the bytes with the session and
 * hands them over by postMessage. pdf.js runs with no scripting (the core API below never runs a
 * PDF's JavaScript: only the viewer's scripting manager would, and it is not bundled), no XFA, no
 * WebAssembly and no font, CMap or worker fetches: its worker code is bundled and runs in this frame.
 * Pages are painted client-side onto canvases; the server never renders or stores page images.
 */
import { getDocument } from 'pdfjs-dist';
import type { PDFDocumentProxy } from 'pdfjs-dist';
// Bundled, not fetched: registers globalThis.pdfjsWorker, which pdf.js uses as its "fake" (same
// thread) worker, so no Worker is created and no worker script is fetched.
import { WorkerMessageHandler } from 'pdfjs-dist/build/pdf.worker.mjs';

import type { AppMessage, FrameMessage } from './protocol';
import './preview.css';

(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = { WorkerMessageHandler };

/** Enough to read a policy; a huge PDF still opens quickly and stays within memory. */
const MAX_PAGES = 50;

const pagesEl = document.getElementById('pages') as HTMLElement;
const statusEl = document.getElementById('status') as HTMLElement;

function tell(message: FrameMessage): void {
  // The parent's origin cannot be named from an opaque origin; the message carries nothing secret.
  window.parent.postMessage(message, '*');
}

function say(text: string): void {
  statusEl.textContent = text;
}

async function renderPage(pdf: PDFDocumentProxy, n: number, width: number): Promise<void> {
  const page = await pdf.getPage(n);
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(2.5, Math.max(0.3, width / base.width));
  const viewport = page.getViewport({ scale });
  const ratio = Math.min(window.devicePixelRatio || 1, 2);

  const figure = document.createElement('figure');
  figure.className = 'page';
  figure.setAttribute('aria-label', `Page ${String(n)} of ${String(pdf.numPages)}`);
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${String(Math.floor(viewport.width))}px`;
  canvas.style.height = `${String(Math.floor(viewport.height))}px`;
  canvas.setAttribute('aria-hidden', 'true');
  figure.append(canvas);
  pagesEl.append(figure);

  await page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;

  // The page's words for screen readers (and text search with Ctrl-F), visually hidden under the picture.
  const text = await page.getTextContent();
  const words = text.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' ').trim();
  const caption = document.createElement('figcaption');
  caption.className = 'page__text';
  caption.textContent = words || `Page ${String(n)} has no text layer (it may be a scanned image).`;
  figure.append(caption);
  page.cleanup();
}

async function render(bytes: ArrayBuffer): Promise<void> {
  pagesEl.replaceChildren();
  say('Opening the PDF…');
  const task = getDocument({
    data: new Uint8Array(bytes),
    // pdf.js 5 no longer compiles code from fonts (the option is gone); kept false for any version
    // that reads it, and this frame's CSP has no 'unsafe-eval' whatever pdf.js does.
    ...({ isEvalSupported: false } as object),
    enableXfa: false,
    useWasm: false,
    useSystemFonts: true,
    // Never fetch: no URLs are given, so cMaps, standard fonts and wasm are not loaded.
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    stopAtErrors: false,
  });
  const pdf = await task.promise;
  const width = Math.max(320, pagesEl.clientWidth - 16);
  const count = Math.min(pdf.numPages, MAX_PAGES);
  for (let n = 1; n <= count; n += 1) {
    say(`Rendering page ${String(n)} of ${String(count)}…`);
    await renderPage(pdf, n, width);
  }
  say(
    pdf.numPages > count
      ? `Showing the first ${String(count)} of ${String(pdf.numPages)} pages. Download the file to read the rest.`
      : `${String(pdf.numPages)} ${pdf.numPages === 1 ? 'page' : 'pages'}.`,
  );
  document.body.dataset['rendered'] = String(count);
  tell({ type: 'hoh-preview-rendered', pages: pdf.numPages, renderedPages: count });
  await pdf.destroy();
}

window.addEventListener('message', (event: MessageEvent<AppMessage>) => {
  // Only the page that embeds this frame may hand it a file.
  if (event.source !== window.parent || window.parent === window) return;
  const data = event.data;
  if (data?.type !== 'hoh-preview-render' || !(data.bytes instanceof ArrayBuffer)) return;
  document.title = `Preview of ${data.fileName}`;
  render(data.bytes).catch((error: unknown) => {
    const name = error instanceof Error ? error.name : '';
    const message =
      name === 'PasswordException'
        ? 'This PDF is protected by a password, so it cannot be previewed. Download it and open it with the password.'
        : name === 'InvalidPDFException'
          ? 'This file could not be read as a PDF. Download it to check it, and upload a corrected copy if it is damaged.'
          : 'The preview could not show this PDF. Download it and open it on your computer instead.';
    say(message);
    tell({ type: 'hoh-preview-failed', message });
  });
});

if (window.parent === window) {
  say('This page shows evidence previews inside Hand on Heart. Open the evidence library and choose Preview.');
} else {
  tell({ type: 'hoh-preview-ready' });
}
