const DAY_MS = 86_400_000;
const YEAR_365_MS = 365 * DAY_MS;
const YEAR_366_MS = 366 * DAY_MS;

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fff…]](Z|±HH:MM)`, parsed by hand: Date.parse was most of
 * the engine's time. Returns NaN for anything else, including a time without a zone, which
 * Date.parse would read in the host's local time (the same input would score differently per machine).
 */
export function parseInstant(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const s = value;
  const len = s.length;
  if (len < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return Number.NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1) return Number.NaN;
  const maxDay = mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]!;
  if (d > maxDay) return Number.NaN;
  const day = daysFromCivil(y, mo, d) * DAY_MS;
  if (len === 10) return day;

  const t = s.charCodeAt(10);
  if (t !== 84 /* T */ && t !== 116 /* t */ && t !== 32 /* space */) return Number.NaN;
  if (len < 17 || s.charCodeAt(13) !== 58 /* : */) return Number.NaN;
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59) return Number.NaN;
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s.charCodeAt(i) === 58) {
    sec = digits(s, i + 1, 2);
    if (sec < 0 || sec > 59) return Number.NaN;
    i += 3;
    if (s.charCodeAt(i) === 46 /* . */ || s.charCodeAt(i) === 44 /* , */) {
      i++;
      const start = i;
      let scale = 100;
      while (i < len) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        // Sub-millisecond digits are truncated, as Date.parse does.
        ms += c * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return Number.NaN;
      ms = Math.floor(ms);
    }
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === len) offsetMin = 0;
  else if ((z === 43 || z === 45) && i + 6 === len && s.charCodeAt(i + 3) === 58) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else return Number.NaN;
  return day + ((h * 60 + mi - offsetMin) * 60 + sec) * 1000 + ms;
}

/**
 * True while `asOfMs` is before `issuedMs` + 12 calendar months (UTC; 29 Feb rolls to 1 Mar).
 * Twelve calendar months are always 365 or 366 days, so the Date arithmetic only runs in that one-day window.
 */
export function withinTwelveMonths(issuedMs: number, asOfMs: number): boolean {
  const age = asOfMs - issuedMs;
  if (age < YEAR_365_MS) return true;
  if (age >= YEAR_366_MS) return false;
  return asOfMs < twelveMonthsAfter(issuedMs);
}

/** The instant `issuedMs` + 12 calendar months (UTC; 29 Feb rolls to 1 Mar): the first at which withinTwelveMonths is false. */
export function twelveMonthsAfter(issuedMs: number): number {
  const expiry = new Date(issuedMs);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + 1);
  return expiry.getTime();
}
