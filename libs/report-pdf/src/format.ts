import type {
  ReportActionStatus,
  ReportBand,
  ReportConfidenceLabel,
  ReportHorizon,
  ReportItemStatus,
  ReportPriority,
  ReportRegime,
} from './model.js';

// Formatting is done by hand, never with Intl/toLocale*: the bytes must not depend on the ICU
// data or locale of the machine that renders them.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

function parse(iso: string): Date | null {
  // A bare date is a calendar day; read it as UTC midnight so it never shifts a day.
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(ms) ? null : new Date(ms);
}

export function formatDate(iso: string | null): string {
  if (iso === null) return '—';
  const d = parse(iso);
  if (!d) return iso;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
}

export function formatDateTime(iso: string | null): string {
  if (iso === null) return '—';
  const d = parse(iso);
  if (!d) return iso;
  return `${formatDate(iso)}, ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} UTC`;
}

export function timeOf(iso: string): number {
  return parse(iso)?.getTime() ?? Number.NaN;
}

export const BAND_LABEL: Record<ReportBand, string> = { green: 'Green', amber: 'Amber', red: 'Red' };
export const BAND_MEANING: Record<ReportBand, string> = {
  green: 'Ready',
  amber: 'Partially ready',
  red: 'Not ready',
};

export const CONFIDENCE_LABEL: Record<ReportConfidenceLabel, string> = {
  self_attested: 'Self-attested',
  reviewed: 'Reviewed',
  independently_verified: 'Independently verified',
};

export const STATUS_LABEL: Record<ReportActionStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
  risk_accepted: 'Risk accepted',
};

export const PRIORITY_LABEL: Record<ReportPriority, string> = { p1: 'P1', p2: 'P2', p3: 'P3', p4: 'P4' };

export const HORIZON_LABEL: Record<ReportHorizon, string> = {
  now: 'Now (within 90 days)',
  next: 'Next (within 6 months)',
  later: 'Later (beyond 6 months)',
};

export const ITEM_STATUS_LABEL: Record<ReportItemStatus, string> = {
  answered: 'Answered',
  unanswered: 'Unanswered',
  unknown: 'Unknown',
  not_applicable: 'N/A (approved)',
  na_pending: 'N/A awaiting approval',
  excluded_by_profile: 'Not applicable to profile',
};

export const REGIME_LABEL: Record<ReportRegime, { name: string; jurisdiction: string }> = {
  'ofcom-icu': { name: 'Ofcom Illegal Content Codes (U2U)', jurisdiction: 'UK' },
  'ofcom-ics': { name: 'Ofcom Illegal Content Codes (Search)', jurisdiction: 'UK' },
  'uk-osa': { name: 'Online Safety Act 2023', jurisdiction: 'UK' },
  'uk-si-2026-268': { name: 'SI 2026/268 (NCA reporting)', jurisdiction: 'UK' },
  'uk-pca-1978': { name: 'Protection of Children Act 1978', jurisdiction: 'UK' },
  'us-2258a': { name: '18 U.S.C. § 2258A', jurisdiction: 'US' },
  'au-bose': { name: 'Basic Online Safety Expectations', jurisdiction: 'AU' },
  'au-dis': { name: 'Designated Internet Services Standard', jurisdiction: 'AU' },
  'au-res': { name: 'Relevant Electronic Services Standard', jurisdiction: 'AU' },
  'eu-dsa': { name: 'Digital Services Act', jurisdiction: 'EU' },
  'eu-csam-interim': { name: 'Regulation (EU) 2021/1232 (interim)', jurisdiction: 'EU' },
  'five-eyes-vp': { name: 'Five Eyes Voluntary Principles', jurisdiction: 'Intl' },
  'ofcom-pcu': { name: 'Ofcom Protection of Children Code', jurisdiction: 'UK' },
  'uk-cja-1988': { name: 'Criminal Justice Act 1988', jurisdiction: 'UK' },
  'uk-soa-2003': { name: 'Sexual Offences Act 2003', jurisdiction: 'UK' },
  'us-2258b': { name: '18 U.S.C. § 2258B', jurisdiction: 'US' },
  'au-osa-2021': { name: 'Online Safety Act 2021 (Cth)', jurisdiction: 'AU' },
  'au-codes': { name: 'eSafety industry codes', jurisdiction: 'AU' },
  'eu-e-evidence': { name: 'EU e-Evidence Regulation and Directive', jurisdiction: 'EU' },
  other: { name: 'Other', jurisdiction: 'Other' },
};

export const JURISDICTION_ORDER = ['UK', 'EU', 'US', 'AU', 'Intl', 'Other'];

export function signed(n: number, digits = 0): string {
  const s = n.toFixed(digits);
  return n > 0 ? `+${s}` : n === 0 ? (0).toFixed(digits) : s;
}

export function round(n: number): string {
  return String(Math.round(n));
}

export function levelText(level: number | null): string {
  return level === null ? '—' : `L${level}`;
}

/** Splits a hash so it wraps at a known place instead of wherever the column ends. */
export function splitHash(hex: string, width = 32): string {
  const parts: string[] = [];
  for (let i = 0; i < hex.length; i += width) parts.push(hex.slice(i, i + width));
  return parts.join('\n');
}

/** An identifier (question, measure or evidence id) that must never wrap: its spaces become no-break spaces. */
export function idText(id: string): string {
  return id.replaceAll(' ', '\u00a0');
}
