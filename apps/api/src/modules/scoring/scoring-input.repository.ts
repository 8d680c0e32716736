import { Injectable } from '@nestjs/common';

import { evaluateApplicability, getFramework, type OrganisationProfile } from '@hoh/question-bank';
import type { ScoringAnswer, ScoringEvidence, ScoringInput, Level } from '@hoh/scoring-engine';

import { notFound } from '../../common/app-error.js';
import { tenantManager } from '../../database/tenant-context.js';

interface AssessmentRow {
  id: string;
  status: 'draft' | 'in_review' | 'signed';
  framework_id: string;
  framework_version: string;
  signed_scoring_input: ScoringInput | null;
}

interface AnswerRow {
  question_id: string;
  value: string;
  author_id: string;
  review_status: 'pending' | 'approved' | 'returned';
  reviewer_id: string | null;
  na_approved: boolean;
}

interface EvidenceRow {
  question_id: string;
  id: string;
  status: ScoringEvidence['status'];
  kind: string;
  issued_at: Date;
  expires_at: Date | null;
}

export const toEngineValue = (v: string): ScoringAnswer['value'] => (v === 'unknown' || v === 'not_applicable' ? v : (Number(v) as Level));

/**
 * Gathers everything the pure engine needs for one assessment, in four statements whatever its
 * size: the assessment, the profile, answers, and linked evidence. Drafts use the current profile
 * (a fact change re-computes applicability); signed assessments return their frozen input.
 */
@Injectable()
export class ScoringInputRepository {
  async load(organisationId: string, assessmentId: string, asOf: Date): Promise<{ input: ScoringInput; profile: OrganisationProfile | null; status: AssessmentRow['status'] }> {
    const m = tenantManager();
    const [assessment] = await m.query<AssessmentRow[]>(
      'SELECT id, status, framework_id, framework_version, signed_scoring_input FROM assessments WHERE organisation_id = $1 AND id = $2',
      [organisationId, assessmentId],
    );
    if (!assessment) throw notFound('assessment');
    if (assessment.status === 'signed' && assessment.signed_scoring_input) {
      return { input: assessment.signed_scoring_input, profile: null, status: assessment.status };
    }
    const framework = getFramework(assessment.framework_id, assessment.framework_version);
    if (!framework) throw new Error(`assessment ${assessmentId} uses unknown framework ${assessment.framework_id}@${assessment.framework_version}`);

    const [profileRow] = await m.query<{ profile: OrganisationProfile }[]>('SELECT profile FROM organisation_profiles WHERE organisation_id = $1', [organisationId]);
    const answers = await m.query<AnswerRow[]>(
      'SELECT question_id, value, author_id, review_status, reviewer_id, na_approved FROM answers WHERE organisation_id = $1 AND assessment_id = $2',
      [organisationId, assessmentId],
    );
    const evidence = await m.query<EvidenceRow[]>(
      `SELECT l.question_id, e.id, e.status, e.kind, e.issued_at, e.expires_at
       FROM answer_evidence l JOIN evidence e ON e.organisation_id = l.organisation_id AND e.id = l.evidence_id
       WHERE l.organisation_id = $1 AND l.assessment_id = $2`,
      [organisationId, assessmentId],
    );
    const targets = await m.query<{
      question_id: string;
      target: number;
    }[]>('SELECT question_id, target FROM target_overrides WHERE organisation_id = $1 AND assessment_id = $2', [organisationId, assessmentId]);

    const evidenceByQuestion = new Map<string, ScoringEvidence[]>();
    for (const e of evidence) {
      const list = evidenceByQuestion.get(e.question_id) ?? [];
      list.push({ id: e.id, status: e.status, kind: e.kind, issuedAt: e.issued_at.toISOString(), expiresAt: e.expires_at?.toISOString() ?? null });
      evidenceByQuestion.set(e.question_id, list);
    }
    const profile = profileRow?.profile ?? null;
    const items = profile
      ? Object.fromEntries(evaluateApplicability(framework, profile).map((a) => [a.questionId, { applicable: a.applicable, critical: a.critical }]))
      : {};
    const input: ScoringInput = {
      asOf: asOf.toISOString(),
      bank: {
        frameworkId: framework.id,
        version: framework.version,
        domains: framework.domains.map((d) => ({ id: d.id, title: d.title })),
        questions: [...framework.questions],
      },
      items,
      targets: Object.fromEntries(targets.map((t) => [t.question_id, t.target])),
      answers: answers.map((a) => ({
        questionId: a.question_id,
        value: toEngineValue(a.value),
        naApproved: a.na_approved,
        authorId: a.author_id,
        reviewedByOther: a.review_status === 'approved' && a.reviewer_id !== null && a.reviewer_id !== a.author_id,
        evidence: evidenceByQuestion.get(a.question_id) ?? [],
      })),
      lifecycle: { signedOff: false, independentlyVerified: false },
    };
    return { input, profile, status: assessment.status };
  }
}
