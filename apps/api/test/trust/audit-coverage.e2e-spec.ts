import { DataSource } from 'typeorm';

import type { AssessmentResponse } from '@hoh/contracts';
import type { ScoringAnswer, ScoringEvidence, ScoringInput } from '@hoh/scoring-engine';

import { runAsMember } from '../../src/database/tenant-context.js';
import { AUDITED_STATE, type AuditedTableName } from '../../src/modules/audit/audited-state.js';
import { loadColumns, ScoringInputRepository } from '../../src/modules/scoring/scoring-input.repository.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Where each field of the scoring engine's input comes from: audited `table.column`s (or a whole
 * audited `table`, whose rows' existence is the state), or why it is not stored data. Typed as a
 * Record over the engine's own input types, so adding a field to ScoringInput, ScoringAnswer,
 * ScoringEvidence or the lifecycle fails the typecheck until it is listed here; the tests below
 * then fail until every source named is audited (AUDITED_STATE in audited-state.ts), and when the
 * loader hands the engine a field this list does not name.
 */
type Source = { audited: string[] } | { notStored: string };
const SOURCES: {
  input: Record<keyof ScoringInput, Source>;
  answer: Record<keyof ScoringAnswer, Source>;
  evidence: Record<keyof ScoringEvidence, Source>;
  lifecycle: Record<keyof NonNullable<ScoringInput['lifecycle']>, Source>;
} = {
  input: {
    asOf: { notStored: 'the time of reading' },
    bank: { audited: ['assessments.framework_id', 'assessments.framework_version'] },
    items: { audited: ['organisation_profiles.profile'] },
    targets: { audited: ['target_overrides.target'] },
    answers: { audited: ['answers'] },
    lifecycle: { audited: ['assessments.status', 'assessment_verifications'] },
  },
  answer: {
    questionId: { audited: ['answers.question_id'] },
    value: { audited: ['answers.value'] },
    naApproved: { audited: ['answers.na_approved'] },
    authorId: { audited: ['answers.author_id'] },
    reviewedByOther: { audited: ['answers.review_status', 'answers.reviewer_id', 'answers.author_id'] },
    evidence: { audited: ['answer_evidence'] },
  },
  evidence: {
    id: { audited: ['answer_evidence.evidence_id', 'evidence.id'] },
    status: { audited: ['evidence.status'] },
    kind: { audited: ['evidence.kind'] },
    issuedAt: { audited: ['evidence.issued_at'] },
    expiresAt: { audited: ['evidence.expires_at'] },
  },
  lifecycle: {
    signedOff: { audited: ['assessments.status'] },
    independentlyVerified: { audited: ['assessments.status', 'assessment_verifications'] },
  },
};

/** A table, or a column of it, whose state the chain holds: a listed column, a key column, or the whole table. */
function isAudited(source: string): boolean {
  const [table, column] = source.split('.') as [string, string | undefined];
  if (!Object.hasOwn(AUDITED_STATE, table)) return false;
  const spec = AUDITED_STATE[table as AuditedTableName];
  return column === undefined || Object.hasOwn(spec.columns, column) || (spec.key as readonly string[]).includes(column) || column === 'organisation_id';
}

/** The engine-input paths present in `value` (arrays as `[]`; `items`, `targets` and `bank` are records of data, not fields). */
function paths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => paths(v, `${prefix}[]`));
  if (value === null || typeof value !== 'object' || ['items', 'targets', 'bank'].includes(prefix)) return prefix ? [prefix] : [];
  return [...(prefix ? [prefix] : []), ...Object.entries(value).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k))];
}

/** The SOURCES entry for an input path such as `answers[].evidence[].kind`. */
function sourceOf(path: string): Source | undefined {
  const parts = path.split('.');
  const field = parts[parts.length - 1]!.replace('[]', '');
  const parent = parts.length === 1 ? 'input' : parts[parts.length - 2]!.replace('[]', '');
  const group = { input: SOURCES.input, answers: SOURCES.answer, evidence: SOURCES.evidence, lifecycle: SOURCES.lifecycle }[parent] as Record<string, Source> | undefined;
  return group?.[field];
}

describe('audit coverage of the scoring engine’s input (issue 20)', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let orgId: string;
  let draft: string;
  let signed: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t);
    orgId = orgOf(owner);
    const assessor = await addMember(t, orgId, 'assessor');
    const auditor = await addMember(t, orgId, 'auditor');
    const base = `/api/v1/orgs/${orgId}/assessments`;
    await as(t, owner).put(`/api/v1/orgs/${orgId}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    // Every optional field present: an approved answer, an N/A, linked evidence with an expiry, a target.
    draft = ((await as(t, owner).post(base).send({}).expect(201)).body as AssessmentResponse).id;
    await as(t, owner).put(`${base}/${draft}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
    await as(t, owner).put(`${base}/${draft}/answers/NOV-05`).set('If-None-Match', '*').send({ value: 'not_applicable', justification: 'No signal-sharing partners exist for our sector' }).expect(200);
    await as(t, assessor).post(`${base}/${draft}/reviews`).send({ items: [{ questionId: 'GOV-01', decision: 'approve' }, { questionId: 'NOV-05', decision: 'approve' }] }).expect(200);
    await as(t, owner).put(`${base}/${draft}/targets/TRN-05`).send({ target: 1, reason: 'Small team' }).expect(200);
    const evidence = await as(t, owner)
      .post(`/api/v1/orgs/${orgId}/evidence`)
      .send({ title: 'Detection KPIs Q1', kind: 'metrics', externalRef: 'https://intranet.example/kpi/q1', issuedAt: '2026-01-15T00:00:00Z', expiresAt: '2027-01-15T00:00:00Z' })
      .expect(201);
    await as(t, owner).put(`${base}/${draft}/answers/GOV-01/evidence/${evidence.body.id as string}`).expect(200);
    signed = ((await as(t, owner).post(base).send({}).expect(201)).body as AssessmentResponse).id;
    await as(t, owner).put(`${base}/${signed}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    await as(t, owner).post(`${base}/${signed}/submit`).expect(200);
    const check = (await as(t, owner).get(`${base}/${signed}/attestation-check`).expect(200)).body as { statement: string; exceptions: { id: string }[] };
    await as(t, owner).post(`${base}/${signed}/sign-off`).send({ statement: check.statement, acknowledged: check.exceptions.map((e) => e.id), reauth: { password: owner.credentials.password } }).expect(200);
    await as(t, auditor).post(`${base}/${signed}/verification`).send({}).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const load = (assessmentId: string) =>
    runAsMember(t.app.get(DataSource), { organisationId: orgId, userId: owner.me.user.id, role: 'owner', accountableIndividual: true }, () =>
      t.app.get(ScoringInputRepository).load(orgId, assessmentId, new Date()),
    );

  it('names only audited sources for every field of the engine’s input', () => {
    const unaudited = Object.values(SOURCES)
      .flatMap((group: Record<string, Source>) => Object.entries(group))
      .flatMap(([field, source]) => ('audited' in source ? source.audited.filter((s) => !isAudited(s)).map((s) => `${field} ← ${s}`) : []));
    expect(unaudited).toEqual([]);
  });

  it('knows the source of every field the loader hands the engine, for a draft and for a signed, verified assessment', async () => {
    for (const id of [draft, signed]) {
      const { input } = await load(id);
      const found = paths(input);
      // The fixture really exercises the optional fields.
      if (id === draft) expect(found).toEqual(expect.arrayContaining(['targets', 'answers[].naApproved', 'answers[].evidence[].expiresAt', 'lifecycle.independentlyVerified']));
      expect(found.filter((p) => sourceOf(p) === undefined)).toEqual([]);
    }
  });

  it('reads from the database only audited columns (or keys) of the tables scoring reads', () => {
    const aliases: Record<string, string> = { a: 'assessments', x: 'answers', l: 'answer_evidence', e: 'evidence', t: 'target_overrides', p: 'organisation_profiles', v: 'assessment_verifications' };
    // The assessment row's version is the cache key of a signed input, not an input itself.
    const notInput = new Set(['assessments.version']);
    const read = [...loadColumns(3).matchAll(/\b([axletpv])\.(\w+)/g)].map(([, alias, column]) => `${aliases[alias!]}.${column}`);
    expect(read.length).toBeGreaterThan(20);
    expect([...new Set(read)].filter((c) => !notInput.has(c) && !isAudited(c))).toEqual([]);
  });
});
