import { paths } from './paths';

export type SectionId =
  | 'overview'
  | 'questionnaire'
  | 'review'
  | 'remediation'
  | 'drills'
  | 'reports'
  | 'organisationProfile'
  | 'evidence'
  | 'members'
  | 'apiTokens'
  | 'calendar'
  | 'groups'
  | 'auditLog';

export interface Section {
  id: SectionId;
  title: string;
  href: string;
  /** One line saying what the screen will do, shown in the navigation tooltip and the placeholder. */
  description: string;
}

// One list drives both the left navigation and the "coming soon" panels, so they cannot drift.
export const sections: readonly Section[] = [
  {
    id: 'overview',
    title: 'Overview',
    href: paths.app.overview.getHref(),
    description:
      'Your readiness band, score, confidence, trend, domain chart, critical controls and overdue actions at a glance.',
  },
  {
    id: 'questionnaire',
    title: 'Questionnaire',
    href: paths.app.questionnaire.getHref(),
    description:
      'Answer each applicable control with a maturity level, attach evidence and justify anything not applicable; answers save as you go.',
  },
  {
    id: 'review',
    title: 'Review & sign-off',
    href: paths.app.review.getHref(),
    description:
      'Reviewers approve or return answers, then the accountable individual signs the attestation and the assessment is locked.',
  },
  {
    id: 'remediation',
    title: 'Remediation',
    href: paths.app.remediation.getHref(),
    description:
      'Every gap becomes a tracked action with an owner, due date, priority and predicted score uplift.',
  },
  {
    id: 'drills',
    title: 'Drills',
    href: paths.app.drills.getHref(),
    description: 'Rehearse the first hours after suspected material turns up; a finished drill is kept as exercise evidence.',
  },
  {
    id: 'reports',
    title: 'Reports',
    href: paths.app.reports.getHref(),
    description:
      'Generate the signed board-ready PDF, download earlier reports and verify that a PDF you were handed is genuine.',
  },
  {
    id: 'evidence',
    title: 'Evidence',
    href: paths.app.evidence.getHref(),
    description:
      'Every document and external reference with its status and expiry; owners and assessors accept or reject it, and only accepted, unexpired evidence lifts a score cap.',
  },
  {
    id: 'organisationProfile',
    title: 'Organisation profile',
    href: paths.app.organisationProfile.getHref(),
    description:
      'Describe your services and risk levels, and preview which questions and regulatory measures apply and why.',
  },
  {
    id: 'members',
    title: 'Members',
    href: paths.app.members.getHref(),
    description:
      'Invite colleagues, set their roles and name the accountable individual who signs the attestation.',
  },
  {
    id: 'apiTokens',
    title: 'API tokens',
    href: paths.app.apiTokens.getHref(),
    description: 'Personal tokens for scripts and integrations: read-only or read-write, with an expiry; the secret is shown once.',
  },
  {
    id: 'calendar',
    title: 'Calendar',
    href: paths.app.calendarSettings.getHref(),
    description: 'A private address that puts due dates, evidence expiries and the annual review in Outlook, Google or Apple Calendar.',
  },
  {
    id: 'groups',
    title: 'Groups',
    href: paths.app.groups.getHref(),
    description: 'One view across a group of organisations: each member’s summary, who could attest today and the gaps they share.',
  },
  {
    id: 'auditLog',
    title: 'Audit log',
    href: paths.app.auditLog.getHref(),
    description:
      'Every change, who made it and when, in a hash-chained log you can verify has not been edited.',
  },
];

export function getSection(id: SectionId): Section {
  const section = sections.find((s) => s.id === id);
  if (!section) {
    throw new Error(`Unknown section "${id}": add it to src/config/sections.ts.`);
  }
  return section;
}
