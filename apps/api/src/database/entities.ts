import { SessionEntity } from '../modules/auth/entities/session.entity.js';
import { UserEntity } from '../modules/auth/entities/user.entity.js';
import { MembershipEntity } from '../modules/organisations/entities/membership.entity.js';
import { OrganisationEntity } from '../modules/organisations/entities/organisation.entity.js';

export const ENTITIES = [UserEntity, SessionEntity, OrganisationEntity, MembershipEntity];
