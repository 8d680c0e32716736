import { CreateIdentityAndTenancy1764345600000 } from './1764345600000-CreateIdentityAndTenancy.js';
import { AddMembershipLookup1764345700000 } from './1764345700000-AddMembershipLookup.js';
import { CreateAuditLog1764345800000 } from './1764345800000-CreateAuditLog.js';
import { CreateOrganisationProfiles1764345900000 } from './1764345900000-CreateOrganisationProfiles.js';

/** Every migration, oldest first. TypeORM gets classes, not globs (globs break between tsc and jest). */
export const MIGRATIONS = [
  CreateIdentityAndTenancy1764345600000,
  AddMembershipLookup1764345700000,
  CreateAuditLog1764345800000,
  CreateOrganisationProfiles1764345900000,
];
