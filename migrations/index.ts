import { CreateIdentityAndTenancy1764345600000 } from './1764345600000-CreateIdentityAndTenancy.js';

/** Every migration, oldest first. TypeORM gets classes, not globs (globs break between tsc and jest). */
export const MIGRATIONS = [CreateIdentityAndTenancy1764345600000];
