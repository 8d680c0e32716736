import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { PasswordHasher } from '../auth/password-hasher.js';
import { UserEntity } from '../auth/entities/user.entity.js';
import { MembershipEntity } from '../organisations/entities/membership.entity.js';
import { OrganisationEntity } from '../organisations/entities/organisation.entity.js';

export const DEMO_LOGIN = { email: 'demo@handonheart.example', password: 'hand-on-heart-demo' } as const;

/**
 * On an empty database, creates a demo organisation and its owner so a first `npm start` has
 * something to sign in to. Turned off with DEMO_SEED=false (always off in deployments).
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger('demo');

  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
  ) {}

  async seedIfEmpty(): Promise<boolean> {
    const users = await this.dataSource.getRepository(UserEntity).count();
    if (users > 0) return false;
    const passwordHash = await this.hasher.hash(DEMO_LOGIN.password);
    const organisationId = randomUUID();
    await this.dataSource.transaction(async (m) => {
      const user = await m.getRepository(UserEntity).save(
        m.getRepository(UserEntity).create({ email: DEMO_LOGIN.email, name: 'Dana Demo', passwordHash }),
      );
      await m.query(`SELECT set_config('app.org_id', $1, true)`, [organisationId]);
      await m.getRepository(OrganisationEntity).insert({ organisationId, name: 'Northwind File Share (demo)' });
      await m.getRepository(MembershipEntity).insert({ organisationId, userId: user.id, role: 'owner', accountableIndividual: true });
    });
    this.logger.log(`Demo organisation created. Sign in as ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password} (printed once; DEMO_SEED=false turns this off)`);
    return true;
  }
}
