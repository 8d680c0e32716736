import { z } from 'zod';

export const SERVICE_TYPES = [
  'user_to_user',
  'search',
  'file_storage_sharing',
  'private_messaging',
  'livestreaming',
  'genai',
  'enterprise_devices',
  'network_access',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const JURISDICTIONS = ['UK', 'EU', 'US', 'AU'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const RISK_KINDS = ['imageCsam', 'csamUrl', 'grooming'] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

/**
 * Australia's online-safety sections of industry (OSA 2021 s.135): which codes and standards reach a
 * service. One service can sit in several (e.g. a social media service that also hosts files).
 */
export const AU_SERVICE_CATEGORIES = [
  'social_media',
  'relevant_electronic',
  'designated_internet',
  'search_engine',
  'app_distribution',
  'hosting',
  'internet_carriage',
  'equipment',
] as const;
export type AuServiceCategory = (typeof AU_SERVICE_CATEGORIES)[number];

/** Facts added for hoh-csam 1.1.0: optional, so a profile that never recorded them is still complete. */
export const OPTIONAL_PROFILE_FACT_KEYS = [
  'euEstablished',
  'euDesignatedVeryLarge',
  'microOrSmallEnterprise',
  'genaiOutputsShared',
  'ageDetermination',
  'surfaces',
  'auServiceCategories',
  'paymentsTaken',
] as const;

/**
 * Keys of the `confirmedAt` map: the required facts, then the optional ones. Risk levels are one
 * fact because they come from one illegal-harms risk assessment and are confirmed together.
 */
export const PROFILE_FACT_KEYS = [
  'services',
  'ukMonthlyUsers',
  'childrenLikely',
  'publicContent',
  'e2ee',
  'managedDevices',
  'jurisdictions',
  'risk',
  'multiRisk',
  'anyRisk',
  ...OPTIONAL_PROFILE_FACT_KEYS,
] as const;
export type ProfileFactKey = (typeof PROFILE_FACT_KEYS)[number];

/**
 * The facts whose confirmation dates matter for a profile: every required fact, and each optional one
 * the profile records (an unrecorded optional fact has nothing to go stale; the exposure map says
 * where it is missing).
 */
export function factsToConfirm(profile: Partial<OrganisationProfile> | null | undefined): ProfileFactKey[] {
  const optional: readonly ProfileFactKey[] = OPTIONAL_PROFILE_FACT_KEYS;
  return PROFILE_FACT_KEYS.filter((key) => !optional.includes(key) || profile?.[key] !== undefined);
}

/** Ofcom: a "large" service has more than 7 million monthly active UK users. */
export const LARGE_SERVICE_UK_USERS = 7_000_000;
/** Ofcom ICU C9/C10 (and C14): the "more than 700,000 monthly active UK users" limb. */
export const C9_C10_UK_USERS = 700_000;

// Above any real service, below Number.MAX_SAFE_INTEGER: catches unit mistakes (e.g. bytes).
const MAX_COUNT = 10_000_000_000;

function uniqueArray<T extends string>(values: readonly [T, ...T[]], what: string, max: number) {
  return z
    .array(
      z.enum(values, {
        error: () => `Use one of: ${values.join(', ')}.`,
      }),
    )
    .max(max, { error: `List at most ${max} ${what}.` })
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      for (const [index, item] of items.entries()) {
        if (seen.has(item)) {
          ctx.addIssue({
            code: 'custom',
            path: [index],
            message: `'${item}' is listed twice in ${what}; remove the duplicate.`,
          });
        }
        seen.add(item);
      }
    });
}

function count(what: string) {
  return z
    .number({ error: `Give ${what} as a whole number (0 if none).` })
    .int({ error: `Give ${what} as a whole number, without decimals.` })
    .min(0, { error: `${what} cannot be negative; use 0 if none.` })
    .max(MAX_COUNT, { error: `${what} looks too large; check the number (at most ${MAX_COUNT}).` });
}

function flag(what: string) {
  return z.boolean({ error: `Answer true or false: ${what}.` });
}

const RiskLevelSchema = z.enum(RISK_LEVELS, {
  error: () => 'Use low, medium or high, as recorded in your illegal-harms risk assessment.',
});

export const OrganisationProfileSchema = z
  .object({
    services: uniqueArray(SERVICE_TYPES, 'services', SERVICE_TYPES.length),
    ukMonthlyUsers: count('UK monthly active users'),
    childrenLikely: flag('are children likely to use the service'),
    publicContent: flag('is any user content communicated publicly'),
    e2ee: flag('is any content end-to-end encrypted'),
    managedDevices: count('the number of managed devices'),
    jurisdictions: uniqueArray(JURISDICTIONS, 'jurisdictions', JURISDICTIONS.length),
    risk: z
      .object({
        imageCsam: RiskLevelSchema,
        csamUrl: RiskLevelSchema,
        grooming: RiskLevelSchema,
      })
      .strict(),
    multiRisk: flag('medium or high risk of two or more kinds of illegal harm (Ofcom para 5.6, not counting the CSEA sub-kinds twice)'),
    anyRisk: flag('medium or high risk of any kind of illegal harm'),
    // Optional facts (hoh-csam 1.1.0). Absent means "not recorded": 1.1.0 rules then treat the fact as
    // not holding and say it is unrecorded; 1.0.0 rules never read them.
    euEstablished: flag('is the organisation established in the EU (an office, subsidiary or legal representative there)').optional(),
    euDesignatedVeryLarge: flag(
      'has the European Commission designated the service a very large online platform or search engine (a designation, not a user count)',
    ).optional(),
    microOrSmallEnterprise: flag('is the organisation a micro or small enterprise (Recommendation 2003/361/EC; DSA Art 19)').optional(),
    genaiOutputsShared: flag('are outputs of generative-AI features shared with or visible to other users').optional(),
    ageDetermination: flag('does the service already have a means of determining users’ ages (age verification or estimation)').optional(),
    surfaces: z
      .array(
        z
          .object({
            name: z
              .string({ error: 'Name the surface, e.g. "public channels" or "direct messages".' })
              .trim()
              .min(1, { error: 'Name the surface, e.g. "public channels" or "direct messages".' })
              .max(80, { error: 'Keep a surface name to 80 characters.' }),
            public: flag('is content on this surface communicated publicly'),
            e2ee: flag('is content on this surface end-to-end encrypted'),
          })
          .strict(),
      )
      .max(20, { error: 'List at most 20 surfaces; group similar ones.' })
      .optional(),
    auServiceCategories: uniqueArray(AU_SERVICE_CATEGORIES, 'Australian service categories', AU_SERVICE_CATEGORIES.length).optional(),
    paymentsTaken: flag('does the service take payments from users').optional(),
    confirmedAt: z.partialRecord(
      z.enum(PROFILE_FACT_KEYS, {
        error: () => `confirmedAt keys must be profile facts: ${PROFILE_FACT_KEYS.join(', ')}.`,
      }),
      z.iso.datetime({
        offset: true,
        error: 'Give the confirmation time as an ISO 8601 date-time, e.g. 2026-10-31T09:00:00Z.',
      }),
    ),
  })
  .strict();

export type OrganisationProfile = z.infer<typeof OrganisationProfileSchema>;

export type UkUsersBand = 'under_700k' | '700k_to_7m' | 'over_7m';

/**
 * Ofcom's thresholds are "more than", so exactly 700,000 is still in the lowest band and
 * exactly 7,000,000 is not yet large.
 */
export function ukUsersBand(ukMonthlyUsers: number): UkUsersBand {
  if (ukMonthlyUsers > LARGE_SERVICE_UK_USERS) return 'over_7m';
  if (ukMonthlyUsers > C9_C10_UK_USERS) return '700k_to_7m';
  return 'under_700k';
}

export type ProfileOverrides = Partial<Omit<OrganisationProfile, 'risk'>> & {
  risk?: Partial<OrganisationProfile['risk']>;
};

/**
 * A fresh, valid, deliberately uneventful profile (no services, low risk) to build test and
 * preview data from; every call returns new objects so callers can never share mutable state.
 */
export function defaultProfile(overrides: ProfileOverrides = {}): OrganisationProfile {
  const { risk, ...rest } = overrides;
  return {
    ukMonthlyUsers: 0,
    childrenLikely: false,
    publicContent: false,
    e2ee: false,
    managedDevices: 0,
    multiRisk: false,
    anyRisk: false,
    ...rest,
    services: [...(rest.services ?? [])],
    jurisdictions: [...(rest.jurisdictions ?? ['UK'])],
    confirmedAt: { ...rest.confirmedAt },
    risk: { imageCsam: 'low', csamUrl: 'low', grooming: 'low', ...risk },
  };
}
