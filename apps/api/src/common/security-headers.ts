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
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'web-share',
  'xr-spatial-tracking',
] as const;
export const PERMISSIONS_POLICY = DENIED_FEATURES.map((feature) => `${feature}=()`).join(', ');

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
