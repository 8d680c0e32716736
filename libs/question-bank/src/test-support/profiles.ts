import { defaultProfile } from '../profile.js';
import type { OrganisationProfile, ProfileOverrides } from '../profile.js';

// Realistic organisation profiles for specs. Builders, not shared fixtures: each call returns a
// fresh object, and overrides let a spec vary one fact while keeping the rest realistic.

/** An accountancy firm: no online service, 2,500 managed laptops and phones. */
export function enterpriseOnlyProfile(overrides: ProfileOverrides = {}): OrganisationProfile {
  return defaultProfile({ services: ['enterprise_devices'], managedDevices: 2_500, jurisdictions: ['UK'], ...overrides });
}

/** A UK file-sharing service above the 700k threshold, at high image-CSAM risk. */
export function ukFileSharingProfile(overrides: ProfileOverrides = {}): OrganisationProfile {
  return defaultProfile({
    services: ['file_storage_sharing'],
    ukMonthlyUsers: 1_200_000,
    publicContent: true,
    jurisdictions: ['UK', 'US'],
    anyRisk: true,
    ...overrides,
    risk: { imageCsam: 'high', csamUrl: 'low', grooming: 'low', ...overrides.risk },
  });
}

/** A large UK social platform used by teenagers, with messaging and high grooming risk. */
export function largeSocialPlatformProfile(overrides: ProfileOverrides = {}): OrganisationProfile {
  return defaultProfile({
    services: ['user_to_user', 'private_messaging', 'livestreaming'],
    ukMonthlyUsers: 12_000_000,
    childrenLikely: true,
    publicContent: true,
    e2ee: false,
    jurisdictions: ['UK', 'EU', 'US'],
    multiRisk: true,
    anyRisk: true,
    ...overrides,
    risk: { imageCsam: 'medium', csamUrl: 'medium', grooming: 'high', ...overrides.risk },
  });
}

/** A general web search engine serving the UK and Australia. */
export function searchEngineProfile(overrides: ProfileOverrides = {}): OrganisationProfile {
  return defaultProfile({
    services: ['search'],
    ukMonthlyUsers: 3_000_000,
    publicContent: true,
    jurisdictions: ['UK', 'AU'],
    anyRisk: true,
    ...overrides,
    risk: { imageCsam: 'low', csamUrl: 'medium', grooming: 'low', ...overrides.risk },
  });
}

/** A UK broadband provider: network access only (its staff devices are left out to isolate the ISP rules). */
export function ispProfile(overrides: ProfileOverrides = {}): OrganisationProfile {
  return defaultProfile({
    services: ['network_access'],
    managedDevices: 0,
    jurisdictions: ['UK'],
    ...overrides,
  });
}
