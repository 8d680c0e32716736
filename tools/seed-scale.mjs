// Seeds many organisations for the benchmarks (issue 9): per organisation one owner (the
// accountable individual) with a live session, a profile, 5 assessments (3 signed, 1 in review,
// 1 draft as the latest) of ~50 answers each, 5 evidence items (metadata only, source "external",
// so no file bytes) linked to answers of the latest assessment, and 5 remediation actions, some
// overdue. Rows are generated server-side from a few answer patterns passed as arrays (one
// INSERT … SELECT per table per chunk), as the owner role in one transaction per chunk.
//
// What it does not do, on purpose:
// - No audit history: seeded rows predate the chain, which starts at the first real write
//   (each organisation's chain is empty, so it verifies).
// - Signed assessments carry signed_score / signed_band / signature but no frozen engine input
//   (signed_scoring_input is ~100 KB per row: 330 MB for 3,000 rows); the API then scores them live
//   from their answers, which give the same score as the stored one while the profile is unchanged.
//
// Usage: node tools/seed-scale.mjs <ownerDatabaseUrl> [organisations=1000]
// API: seedScale(ownerUrl, { organisations, offset }) → { seconds, orgs: [{ orgId, userId, email,
//   token, csrfToken, assessmentIds (oldest first), latestId }] }; SEED_PASSWORD signs in any owner.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import argon2 from 'argon2';
import pg from 'pg';

import { root } from './lib.mjs';

export const SEED_PASSWORD = 'bench-seeded-password';
const CHUNK = 250;
const ASSESSMENTS = 5;
const PATTERNS = 7;
// Emails are unique, so a second seeding of the same database must not reuse the first one's.
const RUN_TAG = randomBytes(3).toString('hex');

const lib = (p) => import(pathToFileURL(join(root, p)).href);

/** Answer patterns (question id → stored value) and each pattern's engine score under the seeded profile. */
async function patterns() {
  const qb = await lib('libs/question-bank/dist/src/index.js');
  const engine = await lib('libs/scoring-engine/dist/src/index.js');
  const framework = qb.getFramework(qb.CURRENT_FRAMEWORK.id, qb.CURRENT_FRAMEWORK.version);
  const profile = qb.defaultProfile({
    services: ['file_storage_sharing', 'user_to_user'],
    ukMonthlyUsers: 800_000,
    publicContent: true,
    jurisdictions: ['UK', 'EU'],
    risk: { imageCsam: 'high', csamUrl: 'medium', grooming: 'low' },
    multiRisk: true,
    anyRisk: true,
  });
  const confirmedAt = Object.fromEntries(Object.keys(profile).filter((k) => k !== 'confirmedAt').map((k) => [k, '2026-01-05T09:00:00.000Z']));
  const storedProfile = { ...profile, confirmedAt };
  const items = Object.fromEntries(qb.evaluateApplicability(framework, storedProfile).map((a) => [a.questionId, { applicable: a.applicable, critical: a.critical }]));
  const out = [];
  for (let p = 0; p < PATTERNS; p++) {
    const answers = [];
    framework.questions.forEach((q, i) => {
      if ((i + p) % 17 === 0) return; // ~3 of 51 left unanswered, different ones per pattern
      const legal = q.scale.kind === 'legal_duty';
      const r = (i * 7 + p * 3) % 12;
      const value = r === 11 ? 'unknown' : legal ? String([0, 2, 4][r % 3]) : String(Math.min(4, (r + p) % 5));
      answers.push({ questionId: q.id, value });
    });
    const input = {
      asOf: new Date().toISOString(),
      bank: { frameworkId: framework.id, version: framework.version, domains: framework.domains.map((d) => ({ id: d.id, title: d.title })), questions: [...framework.questions] },
      items,
      targets: {},
      answers: answers.map((a) => ({ questionId: a.questionId, value: a.value === 'unknown' ? 'unknown' : Number(a.value), naApproved: false, authorId: randomUUID(), reviewedByOther: false, evidence: [] })),
      lifecycle: { signedOff: true, independentlyVerified: false },
    };
    const result = engine.score(input);
    out.push({ answers, score: result.overall.score, band: result.overall.band });
  }
  return { framework, storedProfile, patterns: out };
}

const sha256 = (s) => createHash('sha256').update(s).digest();

async function seedChunk(client, ctx, offset, n, passwordHash) {
  const { framework, storedProfile, patterns: pats } = ctx;
  const orgs = [];
  for (let i = 0; i < n; i++) {
    const index = offset + i;
    const token = randomBytes(32).toString('base64url');
    orgs.push({
      index,
      orgId: randomUUID(),
      userId: randomUUID(),
      email: `owner-${index}-${RUN_TAG}@scale.example`,
      token,
      csrfToken: randomBytes(32).toString('base64url'),
      assessmentIds: Array.from({ length: ASSESSMENTS }, () => randomUUID()),
      evidenceIds: Array.from({ length: 5 }, () => randomUUID()),
    });
  }
  const col = (f) => orgs.map(f);
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO users (id, email, name, password_hash) SELECT u, e, n, $4 FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(u, e, n)`,
    [col((o) => o.userId), col((o) => o.email), col((o) => `Owner ${o.index}`), passwordHash],
  );
  await client.query(`INSERT INTO organisations (organisation_id, name) SELECT o, n FROM unnest($1::uuid[], $2::text[]) AS t(o, n)`, [
    col((o) => o.orgId),
    col((o) => `Scale Org ${String(o.index).padStart(4, '0')}`),
  ]);
  await client.query(
    `INSERT INTO memberships (organisation_id, user_id, role, accountable_individual) SELECT o, u, 'owner', true FROM unnest($1::uuid[], $2::uuid[]) AS t(o, u)`,
    [col((o) => o.orgId), col((o) => o.userId)],
  );
  await client.query(
    `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) SELECT h, u, c, now() + interval '2 days' FROM unnest($1::bytea[], $2::uuid[], $3::text[]) AS t(h, u, c)`,
    [col((o) => sha256(o.token)), col((o) => o.userId), col((o) => o.csrfToken)],
  );
  await client.query(
    `INSERT INTO organisation_profiles (organisation_id, profile, updated_by) SELECT o, $3::jsonb, u FROM unnest($1::uuid[], $2::uuid[]) AS t(o, u)`,
    [col((o) => o.orgId), col((o) => o.userId), JSON.stringify(storedProfile)],
  );

  // Assessments: k = 1..5 a quarter apart; 1-3 signed, 4 in review, 5 the draft in progress.
  const aOrg = [];
  const aId = [];
  const aK = [];
  const aUser = [];
  const aPattern = [];
  for (const o of orgs) {
    o.assessmentIds.forEach((id, k) => {
      aOrg.push(o.orgId);
      aId.push(id);
      aK.push(k + 1);
      aUser.push(o.userId);
      aPattern.push((o.index * ASSESSMENTS + k) % PATTERNS);
    });
  }
  await client.query(
    `INSERT INTO assessments (organisation_id, id, title, framework_id, framework_version, status, profile_snapshot, version, created_at, created_by,
                              submitted_at, signed_at, signature, signed_score, signed_band)
     SELECT t.o, t.a, 'CSAM controls review ' || (2025 + (t.k - 1) / 4) || ' Q' || (1 + (t.k - 1) % 4), $6, $7,
            -- Signed ones are written in review first: PostgreSQL refuses answers for a signed
            -- assessment (migration FreezeSignedAssessments), so they are signed once answered, below.
            CASE WHEN t.k <= 4 THEN 'in_review' ELSE 'draft' END,
            $8::jsonb, CASE WHEN t.k <= 3 THEN 3 WHEN t.k = 4 THEN 2 ELSE 1 END,
            now() - (${ASSESSMENTS} - t.k) * interval '90 days' - interval '1 hour', t.u,
            CASE WHEN t.k <= 4 THEN now() - (${ASSESSMENTS} - t.k) * interval '90 days' + interval '20 days' END,
            CASE WHEN t.k <= 3 THEN now() - (${ASSESSMENTS} - t.k) * interval '90 days' + interval '30 days' END,
            CASE WHEN t.k <= 3 THEN jsonb_build_object(
              'statement', 'Hand on heart, the answers in this assessment are true to the best of my knowledge.',
              'acknowledged', '[]'::jsonb, 'exceptions', '[]'::jsonb, 'unqualified', true,
              'signerId', t.u, 'signerName', 'Owner', 'signerRole', 'owner',
              'signedAt', to_char((now() - (${ASSESSMENTS} - t.k) * interval '90 days' + interval '30 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END,
            CASE WHEN t.k <= 3 THEN (($9::float8[])[t.p + 1]) END,
            CASE WHEN t.k <= 3 THEN (($10::text[])[t.p + 1]) END
     FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::uuid[], $5::int[]) AS t(o, a, k, u, p)`,
    [aOrg, aId, aK, aUser, aPattern, framework.id, framework.version, JSON.stringify(storedProfile), pats.map((p) => p.score), pats.map((p) => p.band)],
  );
  const pNo = [];
  const pQ = [];
  const pV = [];
  pats.forEach((p, i) => {
    for (const a of p.answers) {
      pNo.push(i);
      pQ.push(a.questionId);
      pV.push(a.value);
    }
  });
  await client.query(
    `INSERT INTO answers (organisation_id, assessment_id, question_id, value, justification, author_id, answered_at, version, review_status)
     SELECT a.organisation_id, a.id, p.q, p.v, CASE WHEN p.v IN ('3', '4') THEN 'Documented in the policy register.' END, a.created_by,
            a.created_at + interval '1 day', 1, 'pending'
     FROM assessments a
     JOIN unnest($1::uuid[], $2::int[]) AS ap(id, pat) ON ap.id = a.id
     JOIN unnest($3::int[], $4::text[], $5::text[]) AS p(pat, q, v) ON p.pat = ap.pat
     WHERE a.organisation_id = ANY($6::uuid[])`,
    [aId, aPattern, pNo, pQ, pV, col((o) => o.orgId)],
  );
  await client.query(`UPDATE assessments SET status = 'signed' WHERE organisation_id = ANY($1::uuid[]) AND id = ANY($2::uuid[])`, [
    col((o) => o.orgId),
    aId.filter((_, i) => aK[i] <= 3),
  ]);

  // Evidence metadata and links to the latest (draft) assessment's answers.
  const eOrg = [];
  const eId = [];
  const eJ = [];
  const eUser = [];
  const eAssessment = [];
  for (const o of orgs) {
    o.evidenceIds.forEach((id, j) => {
      eOrg.push(o.orgId);
      eId.push(id);
      eJ.push(j);
      eUser.push(o.userId);
      eAssessment.push(o.assessmentIds[ASSESSMENTS - 1]);
    });
  }
  await client.query(
    `INSERT INTO evidence (organisation_id, id, title, kind, source, external_ref, issued_at, expires_at, status, uploaded_by)
     SELECT t.o, t.e, 'Evidence item ' || (t.j + 1), (ARRAY['policy', 'procedure', 'log', 'screenshot', 'contract'])[t.j + 1], 'external',
            'https://intranet.example/doc/' || t.e, now() - interval '60 days',
            CASE WHEN t.j = 4 THEN now() - interval '1 day' ELSE now() + interval '300 days' END,
            CASE WHEN t.j = 3 THEN 'pending' ELSE 'accepted' END, t.u
     FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::uuid[]) AS t(o, e, j, u)`,
    [eOrg, eId, eJ, eUser],
  );
  await client.query(
    `INSERT INTO answer_evidence (organisation_id, assessment_id, question_id, evidence_id, linked_by)
     SELECT t.o, t.a, ans.question_id, t.e, t.u
     FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::uuid[], $5::uuid[]) AS t(o, e, j, u, a)
     JOIN LATERAL (SELECT question_id FROM answers WHERE organisation_id = t.o AND assessment_id = t.a ORDER BY question_id OFFSET t.j * 7 LIMIT 2) ans ON true`,
    [eOrg, eId, eJ, eUser, eAssessment],
  );

  // Actions: five per organisation on answered questions; two overdue, one done.
  const qIds = framework.questions.map((q) => q.id);
  const acOrg = [];
  const acUser = [];
  const acJ = [];
  const acQ = [];
  for (const o of orgs) {
    for (let j = 0; j < 5; j++) {
      acOrg.push(o.orgId);
      acUser.push(o.userId);
      acJ.push(j);
      acQ.push(qIds[(o.index + j * 9) % qIds.length]);
    }
  }
  await client.query(
    `INSERT INTO actions (organisation_id, id, title, description, owner_id, due_date, status, question_ids, bank_version, created_by)
     SELECT t.o, gen_random_uuid(), 'Close the gap on ' || t.q, 'Seeded remediation action.', t.u,
            (current_date + (CASE WHEN t.j < 2 THEN -10 - t.j ELSE 30 * t.j END)),
            (ARRAY['open', 'in_progress', 'blocked', 'done', 'open'])[t.j + 1], ARRAY[t.q], $5, t.u
     FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[]) AS t(o, u, j, q)`,
    [acOrg, acUser, acJ, acQ, framework.version],
  );
  await client.query('COMMIT');
  return orgs.map((o) => ({
    orgId: o.orgId,
    userId: o.userId,
    email: o.email,
    token: o.token,
    csrfToken: o.csrfToken,
    assessmentIds: o.assessmentIds,
    latestId: o.assessmentIds[ASSESSMENTS - 1],
  }));
}

/** Seeds `organisations` more organisations (numbered from `offset`); returns them and the wall time. */
export async function seedScale(ownerUrl, { organisations = 1000, offset = 0 } = {}) {
  const started = process.hrtime.bigint();
  const ctx = await patterns();
  const passwordHash = await argon2.hash(SEED_PASSWORD, { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 });
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const [{ bypass }] = (await client.query(`SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`)).rows;
    if (!bypass) throw new Error('seed-scale writes every organisation in one statement, so it needs an owner role that bypasses row-level security (superuser or BYPASSRLS); use the migration owner URL.');
    const orgs = [];
    for (let done = 0; done < organisations; done += CHUNK) {
      orgs.push(...(await seedChunk(client, ctx, offset + done, Math.min(CHUNK, organisations - done), passwordHash)));
    }
    // Fresh statistics, so the planner sees 300k answers rather than an empty table.
    await client.query('ANALYZE');
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, orgs };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [url, count] = process.argv.slice(2);
  if (!url) {
    console.error('Usage: node tools/seed-scale.mjs <ownerDatabaseUrl> [organisations=1000]   (run migrations first: npm run migrate)');
    process.exit(2);
  }
  const { seconds, orgs } = await seedScale(url, { organisations: Number(count ?? 1000) });
  console.log(`seeded ${orgs.length} organisations in ${seconds.toFixed(1)} s; sign in as ${orgs[0]?.email} with password ${SEED_PASSWORD}`);
}
