const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/[\d.]+/, 'Edge'],
  [/\bOPR\/[\d.]+|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\/[\d.]+/, 'Samsung Internet'],
  [/\bFirefox\/[\d.]+|\bFxiOS\/[\d.]+/, 'Firefox'],
  [/\bHeadlessChrome\/[\d.]+/, 'Headless Chrome'],
  [/\bChrom(?:e|ium)\/[\d.]+|\bCriOS\/[\d.]+/, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\/[\d.]+/, 'Safari'],
  [/^curl\//, 'curl'],
  [/\bnode-fetch\b|\bundici\b|^node\b/i, 'Node.js'],
  [/^python-requests\//, 'Python requests'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/**
 * A person's words for a session's device, from the User-Agent sent at sign-in: "Firefox on
 * Windows". Only the families people recognise are named (no versions: they change weekly and mean
 * little in a list); anything else is "Unknown browser". The header is the client's to set, so the
 * sessions screen also shows when each was created and last used, which the server records itself.
 */
export function describeDevice(userAgent: string | null | undefined): string {
  if (!userAgent || userAgent.trim() === '') return 'Unknown device';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? 'Unknown browser';
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  return system ? `${browser} on ${system}` : browser;
}

/** What is kept of a User-Agent header: one line, at most 512 characters. */
export function storableUserAgent(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return clean === '' ? null : clean.slice(0, 512);
}
