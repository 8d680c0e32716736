import { defaultProfile, type OrganisationProfile, type ProfileOverrides } from '@hoh/question-bank';

/** Realistic organisation profiles; each call builds new objects. */
export const ProfileFactory = {
  /** A UK file-sharing service above the 700k threshold: hash matching (ICU C9) applies. */
  ukFileSharing(overrides: ProfileOverrides = {}): OrganisationProfile {
    return defaultProfile({
      services: ['file_storage_sharing', 'user_to_user'],
      ukMonthlyUsers: 1_200_000,
      publicContent: true,
      jurisdictions: ['UK', 'EU'],
      risk: { imageCsam: 'high', csamUrl: 'medium', grooming: 'low' },
      multiRisk: true,
      anyRisk: true,
      ...overrides,
    });
  },
  /** A company with managed laptops and no user-facing service. */
  enterpriseOnly(overrides: ProfileOverrides = {}): OrganisationProfile {
    return defaultProfile({ services: ['enterprise_devices'], managedDevices: 2500, jurisdictions: ['UK'], ...overrides });
  },
};
