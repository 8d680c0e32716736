import { Injectable } from '@nestjs/common';

import type { BankChangesQuery, BankChangesResponse } from '@hoh/contracts';
import { getFramework, getMapping, listMappings, type OrganisationProfile, referenceKeys } from '@hoh/question-bank';
import { bankChanges, type ScoringInput } from '@hoh/scoring-engine';

import { AppError, notFound } from '../../common/app-error.js';
import { Clock } from '../../config/clock.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { ScoringService } from '../scoring/scoring.service.js';

interface LatestRow {
  id: string;
  title: string;
  status: 'draft' | 'in_review' | 'signed';
  profile: OrganisationProfile | null;
}

// The organisation's profile and its latest assessment on the older version, in one statement.
const LATEST_SQL = `
  SELECT a.id, a.title, a.status, (SELECT p.profile FROM organisation_profiles p WHERE p.organisation_id = $1) AS profile
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (SELECT id, title, status FROM assessments
                     WHERE organisation_id = $1 AND framework_id = $2 AND framework_version = $3
                     ORDER BY created_at DESC, id DESC LIMIT 1) a ON true`;

/** "What this version changes for you" (docs/PRODUCT.md §3.4): the engine's bankChanges on this organisation's profile and latest answers. */
@Injectable()
export class FrameworkChangesService {
  constructor(
    private readonly scoring: ScoringService,
    private readonly clock: Clock,
  ) {}

  async changes(frameworkId: string, { from, to }: BankChangesQuery): Promise<BankChangesResponse> {
    const older = getFramework(frameworkId, from);
    const newer = getFramework(frameworkId, to);
    if (!older || !newer) throw notFound('framework version');
    const mapping = getMapping(frameworkId, from, to);
    if (!mapping) {
      const steps = listMappings(frameworkId).map((m) => `${m.from} → ${m.to}`);
      throw new AppError('VALIDATION_FAILED', `No published migration from ${from} to ${to}. Ask one step at a time: ${steps.join(', ') || 'none is published'}.`, {
        details: [{ path: 'to', message: `Published steps: ${steps.join(', ') || 'none'}.` }],
      });
    }
    const { organisationId } = currentMember();
    const [row] = await tenantManager().query<LatestRow[]>(LATEST_SQL, [organisationId, frameworkId, from]);
    const profile = row?.profile ?? null;
    const asOf = this.clock.now();
    // Without an assessment on the older version, nothing carries: every question is compared on the profile alone.
    const before: ScoringInput = row?.id
      ? (await this.scoring.loadInput(organisationId, row.id, asOf)).input
      : { asOf: asOf.toISOString(), ...this.scoring.bankFor(older, profile), answers: [] };
    // A signed assessment's frozen input holds the profile it was signed with; the comparison is for the profile as it is now.
    const now = { ...before, ...this.scoring.bankFor(older, profile) };
    const result = bankChanges({
      mapping,
      before: now,
      after: this.scoring.bankFor(newer, profile),
      referencesBefore: referenceKeys(older),
      referencesAfter: referenceKeys(newer),
    });
    // The newer wording wins; a retired question keeps its old one.
    const textOf = new Map([...older.questions, ...newer.questions].map((q) => [q.id, q.text]));
    return {
      frameworkId,
      from,
      to,
      assessment: row?.id ? { id: row.id, title: row.title, status: row.status } : null,
      counts: result.counts,
      score: result.score,
      questions: result.questions.map((q) => ({ ...q, text: textOf.get(q.questionId) ?? q.questionId })),
    };
  }
}
