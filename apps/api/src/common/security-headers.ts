import type { IncomingMessage, ServerResponse } from 'node:http';

import helmet, { type HelmetOptions } from 'helmet';

/** The app's Content-Security-Policy: no inline script or style, nothing from other origins, never framed. */
const APP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  upgradeInsecureRequests: null,
};

/** The API documentation page's policy: the app's, plus the inline styles Swagger UI needs. */
export const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/**
 * Browser features the app and its docs page never use, denied to every page and frame
 * (Permissions-Policy; helmet sends none). clipboard-write stays at the browser's default (this
 * origin only): the copy buttons use it. Only names Chromium recognises, so no page logs a policy
 * error: interest-cohort (FLoC) is gone and its successor browsing-topics takes its place.
 */
const DENIED_FEATURES = [
  'accelerometer',
  'autoplay',
  'bluetooth',
  'browsing-topics',
  'camera',
  'clipboard-read',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'geolocation',
  'gyroscope',
  'hid',
  'idle-detection',
  'local-fonts',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'picture-in-picture',
  'screen-wake-lock',
  'serial',
  'usb',
  'web-share',
  'xr-spatial-tracking',
] as const;
/**
 * Passkeys (docs/PRODUCT.md §2.5) are asked for by the app's own pages only: signing in, the
 * account page and sign-off call navigator.credentials.get; no frame (the evidence preview) may.
 */
const SELF_ONLY_FEATURES = ['publickey-credentials-get'] as const;
export const PERMISSIONS_POLICY = [...DENIED_FEATURES.map((feature) => `${feature}=()`), ...SELF_ONLY_FEATURES.map((feature) => `${feature}=(self)`)].join(', ');

export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/**
 * Helmet's headers for our options, computed once. @fastify/helmet rebuilt the whole helmet
 * middleware (and re-parsed the CSP directives) on every request, about a tenth of the CPU of a
 * static route; none of our headers depend on the request (no CSP nonces), so one list serves all.
 */
export function securityHeaders(options: { hsts: boolean }): HeaderList {
  const config: HelmetOptions = {
    contentSecurityPolicy: { directives: APP_DIRECTIVES },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: options.hsts ? undefined : false,
  };
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
  };
  // Helmet 8 throws on bad options instead of passing them to next(); nothing else is reported.
  helmet(config)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  headers.set('permissions-policy', PERMISSIONS_POLICY);
  return [...headers];
}

/**
 * The evidence PDF preview page (issue 24 §1; apps/web/evidence-preview.html and
 * apps/web/src/features/evidence/preview-frame/main.ts). The app frames it with
 * `<iframe sandbox="allow-scripts">`, so it runs pdf.js on an untrusted PDF in an opaque origin.
 */
export const PREVIEW_FRAME_PAGE = 'evidence-preview.html';

/**
 * Its policy differs from the app's in three ways, each needed and no wider: `frame-ancestors 'self'`
 * (the app must frame it; every other page stays unframeable); `connect-src 'none'` and no other
 * source but its own bundled scripts and styles (the app passes the bytes by postMessage, so the frame
 * never fetches anything, and a PDF cannot make it); `img-src`/`font-src` of blob: and data: (pdf.js
 * decodes a PDF's pictures and fonts in memory). `sandbox allow-scripts` keeps the page sandboxed even
 * when opened directly rather than through the app's frame. No 'unsafe-eval' or wasm.
 */
export const PREVIEW_FRAME_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src blob: data:; font-src blob: data:; connect-src 'none'; " +
  "worker-src 'none'; frame-src 'none'; object-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox allow-scripts";

interface StaticReply {
  header(name: string, value: string): unknown;
}

/**
 * Headers for files of the built web app (@fastify/static's setHeaders). The preview page gets its
 * own CSP and is never cached (it names the hashed preview bundle). Hashed scripts and styles carry
 * `Access-Control-Allow-Origin: *`: the sandboxed frame has an opaque origin, so the browser fetches
 * its module script and stylesheet in CORS mode and would refuse them without it. They are public,
 * identical for everyone and fetched without credentials, so this exposes nothing.
 */
export function staticFileHeaders(reply: StaticReply, filePath: string): void {
  const name = filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
  if (name === PREVIEW_FRAME_PAGE) {
    reply.header('content-security-policy', PREVIEW_FRAME_CSP);
    reply.header('cache-control', 'no-cache');
  } else if (/[\\/]assets[\\/][^\\/]+\.(?:js|css)$/.test(filePath)) {
    reply.header('access-control-allow-origin', '*');
  }
}
