import { Injectable } from '@nestjs/common';

import type { AttestationCheckResponse } from '@hoh/contracts';
import { factsToConfirm, type OrganisationProfile } from '@hoh/question-bank';
import { attestationCheck, score, type AttestationCheck, type ScoringInput } from '@hoh/scoring-engine';

import { notFound } from '../../common/app-error.js';
import { Clock } from '../../config/clock.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { ActionsService } from '../actions/actions.service.js';
import { ScoringService } from '../scoring/scoring.service.js';

const ROLE_WORDS: Record<string, string> = { owner: 'organisation owner', assessor: 'assessor', contributor: 'contributor', auditor: 'auditor' };

/** Gathers the facts the pure hand-on-heart check needs, for the member who would sign. */
@Injectable()
export class AttestationService {
  constructor(
    private readonly scoring: ScoringService,
    private readonly actions: ActionsService,
    private readonly clock: Clock,
  ) {}

  async check(assessmentId: string, asOf: Date = this.clock.now()): Promise<AttestationCheck & { input: ScoringInput }> {
    const member = currentMember();
    const m = tenantManager();
    const [row] = await m.query<{ title: string; status: string; signature: { statement: string; exceptions?: AttestationCheck['exceptions']; unqualified?: boolean } | null }[]>(
      'SELECT title, status, signature FROM assessments WHERE organisation_id = $1 AND id = $2',
      [member.organisationId, assessmentId],
    );
    if (!row) throw notFound('assessment');
    const { input } = await this.scoring.loadInput(member.organisationId, assessmentId, asOf);
    if (row.status === 'signed' && row.signature) {
      // What was attested stays what was attested.
      const exceptions = row.signature.exceptions ?? [];
      return { exceptions, unqualified: exceptions.length === 0, statement: row.signature.statement, input };
    }
    // One statement: queries sent concurrently on one transaction's connection only queue in pg (and pg 9 will refuse them).
    const [names] = await m.query<{ org_name: string | null; profile: OrganisationProfile | null; signer_name: string | null }[]>(
      `SELECT (SELECT name FROM organisations WHERE organisation_id = $1) AS org_name,
              (SELECT profile FROM organisation_profiles WHERE organisation_id = $1) AS profile,
              (SELECT name FROM users WHERE id = $2) AS signer_name`,
      [member.organisationId, member.userId],
    );
    const result = score(input);
    const [latest] = await m.query<{ id: string }[]>('SELECT id FROM assessments WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1', [member.organisationId]);
    // Actions are judged against the latest assessment; reuse this one's scoring when it is that one.
    const actions = await this.actions.summaries(latest?.id === assessmentId ? { input, result } : undefined);
    const check = attestationCheck({
      input,
      result,
      actions,
      // Optional facts (bank 1.1.0) count only once recorded: older profiles never had them.
      profileFacts: factsToConfirm(names?.profile),
      profileConfirmedAt: names?.profile?.confirmedAt ?? {},
      signer: { name: names?.signer_name ?? 'the signer', role: ROLE_WORDS[member.role] ?? member.role },
      organisationName: names?.org_name ?? 'the organisation',
      assessmentTitle: row.title,
    });
    return { ...check, input };
  }

  async response(assessmentId: string): Promise<AttestationCheckResponse> {
    const { exceptions, unqualified, statement } = await this.check(assessmentId);
    return { exceptions, unqualified, statement };
  }
}
