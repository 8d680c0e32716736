import type { OrganisationProfile } from './profile.js';
import { C9_C10_UK_USERS, LARGE_SERVICE_UK_USERS } from './profile.js';
import { evaluateRule, renderAtoms } from './rules.js';
import type { ApplicabilityRule, Reference } from './schema.js';

import type { ExposureEntry } from './exposure.js';

// hoh-csam 1.0.0's exposure rules, exactly as published with that version: 1.0.0 assessments, and
// reports re-issued for them, keep this map. Corrections live in later versions' exposure data only
// (content/hoh-csam/<version>/exposure.json); the hash of this table is pinned in published.json.

interface ExposureMeasure extends Reference {
  rule: ApplicabilityRule;
  /** Extra context for the reader, e.g. "voluntary" or a caveat the profile cannot capture. */
  note?: string;
  /** false for provisions that exist but are not in force for this kind of service. */
  inForce?: false;
}

// Rule fragments. File-storage/sharing services are user-to-user services under the OSA, so the
// Ofcom U2U Code reaches them too.
const UK: ApplicabilityRule = { jurisdiction: 'UK' };
const EU: ApplicabilityRule = { jurisdiction: 'EU' };
const US: ApplicabilityRule = { jurisdiction: 'US' };
const AU: ApplicabilityRule = { jurisdiction: 'AU' };
const U2U: ApplicabilityRule = {
  any: [{ service: 'user_to_user' }, { service: 'private_messaging' }, { service: 'livestreaming' }, { service: 'file_storage_sharing' }],
};
const SEARCH: ApplicabilityRule = { service: 'search' };
const STORAGE: ApplicabilityRule = { service: 'file_storage_sharing' };
const ONLINE: ApplicabilityRule = {
  any: [
    { service: 'user_to_user' },
    { service: 'private_messaging' },
    { service: 'livestreaming' },
    { service: 'file_storage_sharing' },
    { service: 'search' },
    { service: 'genai' },
  ],
};
const ENTERPRISE: ApplicabilityRule = {
  any: [{ service: 'enterprise_devices' }, { fact: 'managedDevices', gt: 0 }],
};
const LARGE: ApplicabilityRule = { fact: 'ukMonthlyUsers', gt: LARGE_SERVICE_UK_USERS };
const OVER_700K: ApplicabilityRule = { fact: 'ukMonthlyUsers', gt: C9_C10_UK_USERS };
const MULTI: ApplicabilityRule = { fact: 'multiRisk', is: true };
const ICU: ApplicabilityRule = { all: [UK, U2U] };
const ICU_LARGE_OR_MULTI: ApplicabilityRule = { all: [ICU, { any: [LARGE, MULTI] }] };

const ICU_C3_TO_C8: Array<[string, string]> = [
  ['C3', 'Internal content policies'],
  ['C4', 'Performance targets for content moderation'],
  ['C5', 'Prioritisation of content for review'],
  ['C6', 'Resourcing the content moderation function'],
  ['C7', 'Training for content moderators'],
  ['C8', 'Materials for volunteer moderators'],
];

const VP_TITLES: Array<[number, string, ApplicabilityRule, boolean]> = [
  [1, 'Prevent known CSAM being made available or accessible', ONLINE, true],
  [2, 'Identify and combat the dissemination of new CSAM', ONLINE, true],
  [
    3,
    'Identify and combat preparatory CSEA activity such as grooming',
    { any: [{ service: 'user_to_user' }, { service: 'private_messaging' }, { service: 'livestreaming' }] },
    true,
  ],
  [
    4,
    'Combat advertising, recruiting, soliciting or procuring a child for sexual exploitation',
    { any: [{ service: 'user_to_user' }, { service: 'private_messaging' }, { service: 'livestreaming' }] },
    true,
  ],
  [5, 'Combat the use of livestreaming for CSEA', { service: 'livestreaming' }, true],
  [6, 'Prevent search results and automatic suggestions surfacing CSEA', SEARCH, true],
  [
    7,
    'Specialised approach and enhanced safety measures for children',
    { any: [{ service: 'user_to_user' }, { service: 'private_messaging' }, { service: 'livestreaming' }] },
    true,
  ],
  [8, 'Act on material connected to CSEA in context, with reporting options (wording unverified)', ONLINE, false],
  [9, 'Take the evolving threat into account in design and development (wording unverified)', ONLINE, false],
  [10, 'Share expertise, practices, data and tools (wording unverified)', ONLINE, false],
  [11, 'Publish or share meaningful data and insights (wording unverified)', ONLINE, false],
];

export const MEASURES_1_0_0: ExposureMeasure[] = [
  // Ofcom Illegal Content Codes, user-to-user. Ids and titles rest on third-party records quoting the Code PDF.
  {
    regime: 'ofcom-icu',
    id: 'A1',
    title: 'Annual review of risk management by the most senior governance body',
    verified: false,
    rule: { all: [ICU, LARGE] },
  },
  {
    regime: 'ofcom-icu',
    id: 'A2',
    title: 'Individual accountable for illegal content safety duties and reporting and complaints duties',
    verified: false,
    rule: ICU,
  },
  { regime: 'ofcom-icu', id: 'A3', title: 'Written statements of responsibilities', verified: false, rule: ICU_LARGE_OR_MULTI },
  { regime: 'ofcom-icu', id: 'A4', title: 'Internal monitoring and assurance', verified: false, rule: { all: [ICU, LARGE, MULTI] } },
  {
    regime: 'ofcom-icu',
    id: 'A5',
    title: 'Tracking evidence of new and increasing illegal harm',
    verified: false,
    rule: ICU_LARGE_OR_MULTI,
  },
  {
    regime: 'ofcom-icu',
    id: 'A6',
    title: 'Code of conduct on protecting users from illegal harm',
    verified: false,
    rule: ICU_LARGE_OR_MULTI,
  },
  { regime: 'ofcom-icu', id: 'A7', title: 'Compliance training', verified: false, rule: ICU_LARGE_OR_MULTI },
  {
    regime: 'ofcom-icu',
    id: 'C1',
    title: 'Content moderation function to review and assess suspected illegal content',
    verified: false,
    rule: ICU,
  },
  {
    regime: 'ofcom-icu',
    id: 'C2',
    title: 'Content moderation function that allows for the swift take down of illegal content',
    verified: false,
    rule: ICU,
  },
  ...ICU_C3_TO_C8.map(([id, title]): ExposureMeasure => ({ regime: 'ofcom-icu', id, title, verified: false, rule: ICU_LARGE_OR_MULTI })),
  {
    regime: 'ofcom-icu',
    id: 'C9',
    title: 'Using hash matching to detect and remove CSAM',
    verified: false,
    rule: {
      all: [
        ICU,
        {
          any: [
            { label: 'C9.1(a)', all: [{ risk: { kind: 'imageCsam', atLeast: 'high' } }, { any: [OVER_700K, STORAGE] }] },
            { label: 'C9.1(b)', all: [LARGE, { risk: { kind: 'imageCsam', atLeast: 'medium' } }] },
          ],
        },
      ],
    },
    note: 'C9.2 limits it to content communicated publicly',
  },
  {
    regime: 'ofcom-icu',
    id: 'C10',
    title: 'Detecting and removing content matching listed CSAM URLs',
    verified: false,
    rule: {
      all: [
        ICU,
        {
          any: [
            { all: [LARGE, { risk: { kind: 'csamUrl', atLeast: 'medium' } }] },
            { all: [OVER_700K, { risk: { kind: 'csamUrl', atLeast: 'high' } }] },
          ],
        },
      ],
    },
  },
  { regime: 'ofcom-icu', id: 'D1', title: 'Enabling complaints', verified: false, rule: ICU },
  { regime: 'ofcom-icu', id: 'D2', title: 'Complaints systems that are easy to find, access and use', verified: false, rule: ICU },
  {
    regime: 'ofcom-icu',
    id: 'D4',
    title: 'Indicative timeframes for handling complaints',
    verified: false,
    rule: { all: [ICU, { any: [LARGE, { fact: 'anyRisk', is: true }] }] },
  },
  { regime: 'ofcom-icu', id: 'D8', title: 'Appeals (large or multi-risk services)', verified: false, rule: ICU_LARGE_OR_MULTI },
  {
    regime: 'ofcom-icu',
    id: 'D9',
    title: 'Appeals (services neither large nor multi-risk)',
    verified: false,
    rule: { all: [ICU, { not: LARGE }, { not: MULTI }] },
  },
  { regime: 'ofcom-icu', id: 'D11', title: 'Complaints about the use of proactive technology', verified: false, rule: ICU },
  ...(['F1', 'F2'] as const).map((id): ExposureMeasure => ({
    regime: 'ofcom-icu',
    id,
    title: id === 'F1' ? 'Safety defaults for child users' : 'Support for child users',
    verified: false,
    rule: {
      all: [
        ICU,
        {
          any: [{ risk: { kind: 'grooming', atLeast: 'high' } }, { all: [LARGE, { risk: { kind: 'grooming', atLeast: 'medium' } }] }],
        },
      ],
    },
    note: 'only where the service already has a means of determining users’ ages, which the profile does not record',
  })),
  { regime: 'ofcom-icu', id: 'G1', title: 'Terms of service: substance', verified: false, rule: ICU },
  { regime: 'ofcom-icu', id: 'G3', title: 'Terms of service: clarity and accessibility', verified: false, rule: ICU },

  // Ofcom search Code: the CSAM measures exist but their ids could not be confirmed (docs/PRODUCT.md §3.8).
  {
    regime: 'ofcom-ics',
    id: 'CSAM URL de-indexing (ICS id unverified)',
    title: 'Deindexing of known CSAM URLs from search results',
    verified: false,
    rule: { all: [UK, SEARCH] },
  },
  {
    regime: 'ofcom-ics',
    id: 'CSAM search warnings (ICS id unverified)',
    title: 'Warnings and help resources on CSAM-seeking searches',
    verified: false,
    rule: { all: [UK, SEARCH] },
  },
  {
    regime: 'ofcom-ics',
    id: 'Predictive search (ICS id unverified)',
    title: 'Safeguards against predictive search suggesting CSAM',
    verified: false,
    rule: { all: [UK, SEARCH] },
  },

  // UK statute and SI 2026/268.
  { regime: 'uk-osa', id: 's.9', title: 'Illegal content risk assessment (user-to-user)', verified: true, rule: ICU },
  { regime: 'uk-osa', id: 's.26', title: 'Illegal content risk assessment (search)', verified: false, rule: { all: [UK, SEARCH] } },
  {
    regime: 'uk-osa',
    id: 's.23',
    title: 'Record-keeping and review, including alternative measures (user-to-user)',
    verified: true,
    rule: ICU,
  },
  {
    regime: 'uk-osa',
    id: 's.66(1)–(2)',
    title: 'Report detected, unreported CSEA content to the NCA (user-to-user; in force 7 Apr 2026)',
    verified: true,
    rule: ICU,
  },
  {
    regime: 'uk-osa',
    id: 's.66(3)–(4)',
    title: 'Report CSEA content on searchable sites to the NCA (search)',
    verified: true,
    rule: { all: [UK, SEARCH] },
    inForce: false,
    note: 'the search limbs are not shown as commenced',
  },
  {
    regime: 'uk-osa',
    id: 's.70(5)',
    title: 'Content already reported to a foreign agency (e.g. NCMEC) is not "unreported"',
    verified: true,
    rule: { all: [ICU, US] },
  },
  { regime: 'uk-si-2026-268', id: 'reg 4', title: 'Register with the NCA before submitting a first report', verified: false, rule: ICU },
  { regime: 'uk-si-2026-268', id: 'reg 6', title: 'Report CSEA content by priority level and time frame', verified: false, rule: ICU },
  { regime: 'uk-si-2026-268', id: 'reg 8', title: 'Retain detected content and reported information', verified: false, rule: ICU },
  { regime: 'uk-si-2026-268', id: 'Sch 1', title: 'Contents of a CSEA report', verified: false, rule: ICU },

  // United States.
  {
    regime: 'us-2258a',
    id: '(a)(1)(B)',
    title: 'Register contact details and report apparent CSAM to the NCMEC CyberTipline as soon as reasonably possible',
    verified: true,
    rule: { all: [US, ONLINE] },
    note: 'for electronic communication or remote computing service providers; employers as such are not providers',
  },
  { regime: 'us-2258a', id: '(h)(1)', title: 'Preserve the contents of a report for 1 year', verified: true, rule: { all: [US, ONLINE] } },

  // Australia.
  { regime: 'au-bose', id: 's.8', title: 'Encrypted services', verified: true, rule: { all: [AU, ONLINE, { fact: 'e2ee', is: true }] } },
  {
    regime: 'au-bose',
    id: 's.11',
    title: 'Minimise provision of certain material (including class 1)',
    verified: true,
    rule: { all: [AU, ONLINE] },
  },
  {
    regime: 'au-bose',
    id: 's.13',
    title: 'Mechanisms to report and complain about certain material',
    verified: true,
    rule: { all: [AU, ONLINE] },
  },
  {
    regime: 'au-dis',
    id: 's.20',
    title: 'Detect and remove known CSAM (end-user managed hosting services)',
    verified: false,
    rule: { all: [AU, STORAGE] },
  },
  {
    regime: 'au-dis',
    id: 'High-impact generative AI DIS (section unverified)',
    title: 'Controls against generating synthetic CSEM',
    verified: false,
    rule: { all: [AU, { service: 'genai' }] },
  },
  {
    regime: 'au-res',
    id: 'Known CSAM detection (section unverified)',
    title: 'Detect and remove known CSAM where technically feasible (messaging, dating, games)',
    verified: false,
    rule: { all: [AU, { service: 'private_messaging' }] },
  },
  {
    regime: 'other',
    id: 'AU Internet Carriage Services Code',
    title: 'Phase 1 industry code for internet carriage services (class 1A/1B)',
    verified: true,
    rule: { all: [AU, { service: 'network_access' }] },
  },
  {
    regime: 'other',
    id: 'AU Search Engine Services Code',
    title: 'Phase 1 industry code for search engines (class 1A/1B)',
    verified: true,
    rule: { all: [AU, SEARCH] },
  },

  // European Union.
  { regime: 'eu-dsa', id: 'Art 16', title: 'Notice and action mechanisms', verified: true, rule: { all: [EU, U2U] } },
  {
    regime: 'eu-dsa',
    id: 'Art 18',
    title: 'Notify suspected criminal offences involving a threat to life or safety',
    verified: true,
    rule: { all: [EU, U2U] },
  },
  {
    regime: 'eu-dsa',
    id: 'Art 28',
    title: 'Online protection of minors',
    verified: true,
    rule: { all: [EU, U2U, { fact: 'childrenLikely', is: true }] },
  },
  {
    regime: 'eu-csam-interim',
    id: 'Reg (EU) 2026/1881',
    title: 'Interim derogation from ePrivacy for voluntary CSA detection (in force 31 Jul 2026 to 3 Apr 2028)',
    verified: true,
    rule: { all: [EU, { service: 'private_messaging' }] },
    note: 'a legal basis for voluntary detection only; end-to-end encrypted communications are excluded',
  },
  {
    regime: 'eu-csam-interim',
    id: 'Reg (EU) 2021/1232',
    title: 'Former interim derogation (expired 3 Apr 2026; no derogation from 3 Apr to 31 Jul 2026)',
    verified: true,
    rule: { all: [EU, { service: 'private_messaging' }] },
    inForce: false,
    note: 'expired 3 Apr 2026; replaced by Reg (EU) 2026/1881',
  },

  // Five Eyes Voluntary Principles.
  ...VP_TITLES.map(([n, title, rule, verified]): ExposureMeasure => ({
    regime: 'five-eyes-vp',
    id: `VP ${n}`,
    title,
    verified,
    rule,
    note: 'voluntary',
  })),

  // UK criminal law for anyone handling suspected material.
  {
    regime: 'uk-pca-1978',
    id: 's.1(1)(a)',
    title: 'Making (including downloading or viewing) an indecent image of a child',
    verified: true,
    rule: { all: [UK, ENTERPRISE] },
  },
  {
    regime: 'uk-pca-1978',
    id: 's.1B',
    title: 'Defence for making in the course of preventing, detecting or investigating crime (inserted by SOA 2003 s.46)',
    verified: true,
    rule: { all: [UK, { any: [ENTERPRISE, ONLINE, { service: 'network_access' }] }] },
  },
];

/** hoh-csam 1.0.0's regulatory exposure of an organisation: one entry per regime × measure, with why. */
export function exposureMap100(profile: OrganisationProfile): ExposureEntry[] {
  return MEASURES_1_0_0.map(({ rule, note, inForce, ...reference }) => {
    const outcome = evaluateRule(rule, profile);
    const detail = renderAtoms(outcome.atoms);
    const suffix = note === undefined ? '' : ` (${note})`;
    if (inForce === false) {
      const context = outcome.value ? `would otherwise apply: ${detail}` : `and would not apply: ${detail}`;
      return { ...reference, applies: false, reason: `Not in force${suffix}; ${context}` };
    }
    return {
      ...reference,
      applies: outcome.value,
      reason: `${outcome.value ? 'Applies' : 'Does not apply'}: ${detail}${suffix}`,
    };
  });
}
