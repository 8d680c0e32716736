/** Every route the web app knows, with a `getHref` so links never hand-build URLs. */
export const paths = {
  auth: {
    signIn: {
      path: '/sign-in',
      getHref: (redirectTo?: string | null): string =>
        redirectTo && redirectTo !== '/'
          ? `/sign-in?redirectTo=${encodeURIComponent(redirectTo)}`
          : '/sign-in',
    },
    signUp: { path: '/sign-up', getHref: (): string => '/sign-up' },
    forgotPassword: { path: '/forgot-password', getHref: (): string => '/forgot-password' },
    /** Opened from the mailed link; its token rides in the fragment (#token=…), which no server sees. */
    resetPassword: { path: '/reset-password', getHref: (): string => '/reset-password' },
    /** Opened from the mailed address-confirmation link; its token rides in the fragment too. */
    confirmEmail: { path: '/confirm-email', getHref: (): string => '/confirm-email' },
  },
  verifyReport: { path: '/verify', getHref: (): string => '/verify' },
  acceptInvitation: {
    path: '/invitations/:token',
    getHref: (token: string): string => `/invitations/${encodeURIComponent(token)}`,
  },
  foundSuspectedMaterial: {
    path: '/found-suspected-material',
    getHref: (): string => '/found-suspected-material',
  },
  // Public like the page above (under its prefix): each drill scenario's first-hour steps (docs/PRODUCT.md §15.7).
  firstHour: { path: '/found-suspected-material/first-hour', getHref: (): string => '/found-suspected-material/first-hour' },
  app: {
    overview: { path: '/', getHref: (): string => '/' },
    questionnaire: { path: '/questionnaire', getHref: (): string => '/questionnaire' },
    review: { path: '/review', getHref: (): string => '/review' },
    remediation: { path: '/remediation', getHref: (): string => '/remediation' },
    reports: { path: '/reports', getHref: (): string => '/reports' },
    organisationProfile: { path: '/organisation/profile', getHref: (): string => '/organisation/profile' },
    members: { path: '/organisation/members', getHref: (): string => '/organisation/members' },
    evidence: { path: '/evidence', getHref: (): string => '/evidence' },
    account: { path: '/account', getHref: (): string => '/account' },
    apiTokens: { path: '/account/api-tokens', getHref: (): string => '/account/api-tokens' },
    calendarSettings: { path: '/settings/calendar', getHref: (): string => '/settings/calendar' },
    ssoSettings: { path: '/settings/single-sign-on', getHref: (): string => '/settings/single-sign-on' },
    auditLog: { path: '/audit-log', getHref: (): string => '/audit-log' },
    drills: { path: '/drills', getHref: (): string => '/drills' },
    drillPlaybook: { path: '/drills/playbook', getHref: (): string => '/drills/playbook' },
    groups: { path: '/groups', getHref: (): string => '/groups' },
    group: { path: '/groups/:groupId', getHref: (groupId: string): string => `/groups/${encodeURIComponent(groupId)}` },
    drill: { path: '/drills/:drillId', getHref: (drillId: string): string => `/drills/${encodeURIComponent(drillId)}` },
    notificationSettings: { path: '/settings/notifications', getHref: (): string => '/settings/notifications' },
    bankChanges: {
      path: '/question-bank/changes',
      getHref: (framework: string, from: string, to: string): string =>
        `/question-bank/changes?${new URLSearchParams({ framework, from, to }).toString()}`,
    },
  },
} as const;

/**
 * Only same-app paths are honoured after sign-in, so a crafted `?redirectTo=https://evil.example`
 * or `//evil.example` cannot bounce a freshly signed-in user off-site.
 */
export function safeRedirectTarget(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) {
    return paths.app.overview.getHref();
  }
  return raw;
}
