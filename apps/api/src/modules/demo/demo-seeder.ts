import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { AnswerValue } from '@hoh/contracts';
import { defaultProfile } from '@hoh/question-bank';

import { runAsMember } from '../../database/tenant-context.js';
import { ActionsService } from '../actions/actions.service.js';
import { AnswersService } from '../assessments/answers.service.js';
import { AssessmentsService } from '../assessments/assessments.service.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import { UserEntity } from '../auth/entities/user.entity.js';
import { MembershipEntity } from '../organisations/entities/membership.entity.js';
import { OrganisationEntity } from '../organisations/entities/organisation.entity.js';
import { ProfileService } from '../organisations/profile.service.js';

export const DEMO_LOGIN = { email: 'demo@handonheart.example', password: 'hand-on-heart-demo' } as const;

/** A half-finished first review: some strong answers, some gaps, an unknown and an N/A. */
const DEMO_ANSWERS: [string, AnswerValue, string?][] = [
  ['GOV-01', 3, 'Board approved the CSAM policy in March; minutes on file.'],
  ['GOV-02', 4],
  ['GOV-03', 2],
  ['RA-01', 3],
  ['RA-02', 2],
  ['HASH-01', 2, 'PhotoDNA on public links only; private folders not yet scanned.'],
  ['HASH-02', 'unknown'],
  ['URL-01', 1],
  ['OPS-01', 3],
  ['OPS-05', 2],
  ['REP-01', 4],
  ['REP-02', 2],
  ['ENT-01', 3],
  ['TRN-03', 'not_applicable', 'We are not yet eligible for Tech Coalition membership.'],
];

/**
 * On an empty database, creates a demo organisation (a UK file-sharing service), its owner, a
 * realistic profile, a half-finished assessment and suggested actions, through the same services
 * the API uses, so the audit chain is whole. Turned off with DEMO_SEED=false.
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger('demo');

  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly profiles: ProfileService,
    private readonly assessments: AssessmentsService,
    private readonly answers: AnswersService,
    private readonly actions: ActionsService,
  ) {}

  async seedIfEmpty(): Promise<boolean> {
    const users = await this.dataSource.getRepository(UserEntity).count();
    if (users > 0) return false;
    const passwordHash = await this.hasher.hash(DEMO_LOGIN.password);
    const organisationId = randomUUID();
    const user = await this.dataSource.transaction(async (m) => {
      // The demo's address is the product's own (.example): there is no inbox to confirm it from, so it starts confirmed.
      const created = await m.getRepository(UserEntity).save(m.getRepository(UserEntity).create({ email: DEMO_LOGIN.email, name: 'Dana Demo', passwordHash, emailVerifiedAt: new Date() }));
      await m.query(`SELECT set_config('app.org_id', $1, true)`, [organisationId]);
      await m.getRepository(OrganisationEntity).insert({ organisationId, name: 'Northwind File Share (demo)' });
      await m.getRepository(MembershipEntity).insert({ organisationId, userId: created.id, role: 'owner', accountableIndividual: true });
      return created;
    });
    await runAsMember(this.dataSource, { organisationId, userId: user.id, role: 'owner', accountableIndividual: true }, async () => {
      await this.profiles.put(
        defaultProfile({
          services: ['file_storage_sharing', 'user_to_user'],
          ukMonthlyUsers: 1_400_000,
          publicContent: true,
          jurisdictions: ['UK', 'EU', 'US'],
          risk: { imageCsam: 'high', csamUrl: 'medium', grooming: 'low' },
          multiRisk: true,
          anyRisk: true,
        }),
        undefined,
      );
      const assessment = await this.assessments.create({ title: 'CSAM controls review 2026' });
      for (const [questionId, value, text] of DEMO_ANSWERS) {
        const extra = value === 'not_applicable' ? { justification: text } : text ? { comment: text } : {};
        await this.answers.put(assessment.id, questionId, { value, ...extra }, { ifMatch: undefined, ifNoneMatchAny: true });
      }
      await this.actions.suggest(assessment.id);
    });
    // main.ts prints the sign-in itself, last, on every start while it still works.
    this.logger.log('Demo organisation created: Northwind File Share (demo), with a half-finished 2026 review (DEMO_SEED=false turns this off)');
    return true;
  }
}
