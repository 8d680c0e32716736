import type { Jurisdiction, Regime, RiskKind, ServiceType } from '@hoh/question-bank';

/** Human names for the wire vocabulary (docs/API.md §15). */
export const SERVICE_LABELS: Record<ServiceType, { label: string; hint: string }> = {
  user_to_user: { label: 'User-to-user platform', hint: 'Users can share content with each other (posts, comments, uploads).' },
  search: { label: 'Search service', hint: 'Users search the web or a large index of content.' },
  file_storage_sharing: { label: 'File storage or sharing', hint: 'Users store files and can share them by link or folder.' },
  private_messaging: { label: 'Private messaging', hint: 'One-to-one or small-group messages, chat or email.' },
  livestreaming: { label: 'Livestreaming', hint: 'Users broadcast live video or audio.' },
  genai: { label: 'Generative AI', hint: 'The service generates images, video or text for users.' },
  enterprise_devices: { label: 'Enterprise with managed devices', hint: 'Staff use laptops and phones the organisation manages.' },
  network_access: { label: 'ISP or network access', hint: 'You provide internet access, Wi-Fi or a network to others.' },
};

export const JURISDICTION_LABELS: Record<Jurisdiction, string> = {
  UK: 'United Kingdom',
  EU: 'European Union',
  US: 'United States',
  AU: 'Australia',
};

export const RISK_KIND_LABELS: Record<RiskKind, string> = {
  imageCsam: 'Image-based CSAM',
  csamUrl: 'CSAM URLs',
  grooming: 'Grooming',
};

export const REGIME_LABELS: Record<Regime, string> = {
  'ofcom-icu': 'Ofcom Illegal Content Codes — user-to-user',
  'ofcom-ics': 'Ofcom Illegal Content Codes — search',
  'uk-osa': 'UK Online Safety Act 2023',
  'uk-si-2026-268': 'UK SI 2026/268',
  'us-2258a': 'US 18 U.S.C. § 2258A',
  'au-bose': 'Australia — Basic Online Safety Expectations',
  'au-dis': 'Australia — Designated Internet Services standard',
  'au-res': 'Australia — Relevant Electronic Services standard',
  'eu-dsa': 'EU Digital Services Act',
  'eu-csam-interim': 'EU interim CSAM Regulation',
  'five-eyes-vp': 'Five Eyes Voluntary Principles',
  'uk-pca-1978': 'UK Protection of Children Act 1978',
  'ofcom-pcu': 'Ofcom Protection of Children Code',
  'uk-cja-1988': 'UK Criminal Justice Act 1988',
  'uk-soa-2003': 'UK Sexual Offences Act 2003',
  'us-2258b': 'US 18 U.S.C. § 2258B',
  'au-osa-2021': 'Australia — Online Safety Act 2021',
  'au-codes': 'Australia — eSafety industry codes',
  'eu-e-evidence': 'EU e-Evidence Regulation and Directive',
  other: 'Other',
};

export const STATUS_LABELS = {
  draft: 'Draft',
  in_review: 'In review',
  // Shown inside parentheses on some screens, so it holds none itself.
  signed: 'Signed and locked',
} as const;

export const CONFIDENCE_LABELS = {
  self_attested: 'Self-attested',
  reviewed: 'Reviewed',
  independently_verified: 'Independently verified',
} as const;

export const CAP_REASON_TEXT = {
  none: '',
  no_counting_evidence: 'no accepted, unexpired evidence',
  no_metrics_evidence: 'no accepted metrics evidence for level 4',
  legal_duty_rounded: 'legal duties count as yes, partial or no',
} as const;
