import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { type AssessmentResponse, type AuditVerifyResponse } from '@hoh/contracts';
import { canonicalJson } from '@hoh/question-bank';

import { runAsMember } from '../../src/database/tenant-context.js';
import { keyIdOf } from '../../src/modules/audit/anchor-key.js';
import { anchorStatement, AuditService, entryHash } from '../../src/modules/audit/audit.service.js';
import { AUDITED_STATE, type AuditedTableName } from '../../src/modules/audit/audited-state.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Tampering done directly in the database, as the owner who can disable the append-only trigger
 * (issue 8 §8, docs/API.md §12): verify must report the first broken seq for each. The app signs
 * anchors with a key held outside the database (AUDIT_ANCHOR_KEY, here a file), as a deployment that
 * counts superusers among its attackers must (docs/SECURITY.md, attacker model).
 */
describe('audit log tamper evidence', () => {
  let t: TestApp;
  let cases = 0;
  let keyDir: string;
  let outsideKeyId: string;

  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'hoh-anchor-key-'));
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(keyDir, 'anchor.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600 });
    outsideKeyId = keyIdOf(publicKey);
    t = await startTestApp({ AUDIT_ANCHOR_KEY: join(keyDir, 'anchor.pem') });
  });
  afterAll(async () => {
    console.log(`audit tamper: ${cases} tampering cases detected`);
    await t.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  /** A new organisation with a chain of at least `entries` audit entries. */
  async function orgWithChain(entries: number, app: TestApp = t): Promise<{ owner: SignedInUser; orgId: string }> {
    const owner = await signUp(app);
    const orgId = orgOf(owner);
    for (let i = 0; i < entries; i++) await as(app, owner).patch(`/api/v1/orgs/${orgId}`).send({ name: `Acme ${i}` }).expect(200);
    const [n] = await app.ownerQuery<{ n: string }>('SELECT count(*) AS n FROM audit_log WHERE organisation_id = $1', [orgId]);
    expect(Number(n!.n)).toBeGreaterThanOrEqual(entries);
    return { owner, orgId };
  }

  /** Runs `sql` with the append-only trigger off, as only a database owner could, and always turns it back on. */
  async function tamper(sql: string, params: unknown[], app: TestApp = t, table: 'audit_log' | 'audit_anchors' = 'audit_log'): Promise<void> {
    await app.ownerQuery(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only`);
    try {
      await app.ownerQuery(sql, params);
    } finally {
      await app.ownerQuery(`ALTER TABLE ${table} ENABLE TRIGGER ${table}_append_only`);
    }
  }

  const verify = async (owner: SignedInUser, orgId: string, app: TestApp = t) => (await as(app, owner).get(`/api/v1/orgs/${orgId}/audit-log/verify`).expect(200)).body as AuditVerifyResponse;

  /** Signs the current chain head now, as the periodic anchoring would once its interval passed. */
  async function anchorNow(owner: SignedInUser, orgId: string, app: TestApp = t): Promise<number> {
    const member = { organisationId: orgId, userId: owner.me.user.id, role: 'owner' as const, accountableIndividual: true };
    return runAsMember(app.app.get(DataSource), member, () => app.app.get(AuditService).anchorNow());
  }

  /**
   * Replaces every anchor from `from` on with one for the entry's current hash, signed with the
   * report key a superuser reads from the database (report_signing_keys), as an insider who rewrote
   * the chain would to make the anchors agree with it.
   */
  async function resignAnchorsWithDatabaseKey(orgId: string, from: number, app: TestApp = t): Promise<void> {
    const [stored] = await app.ownerQuery<{ key_id: string; private_key_pem: string }>('SELECT key_id, private_key_pem FROM report_signing_keys WHERE slot = 1');
    const key = createPrivateKey(stored!.private_key_pem);
    const anchors = await app.ownerQuery<{ seq: string; anchored_at: Date }>('SELECT seq, anchored_at FROM audit_anchors WHERE organisation_id = $1 AND seq >= $2', [orgId, from]);
    for (const a of anchors) {
      const [entry] = await app.ownerQuery<{ hash: string }>('SELECT hash FROM audit_log WHERE organisation_id = $1 AND seq = $2', [orgId, a.seq]);
      const statement = anchorStatement(orgId, Number(a.seq), entry!.hash, a.anchored_at.toISOString());
      const signature = sign(null, Buffer.from(canonicalJson(statement), 'utf8'), key).toString('base64url');
      await tamper('DELETE FROM audit_anchors WHERE organisation_id = $1 AND seq = $2', [orgId, a.seq], app, 'audit_anchors');
      await app.ownerQuery('INSERT INTO audit_anchors (organisation_id, seq, head_hash, anchored_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)', [
        orgId,
        a.seq,
        entry!.hash,
        a.anchored_at,
        stored!.key_id,
        signature,
      ]);
    }
  }

  /** Rewrites entry `from` and recomputes every later hash and link, as an insider with the code could. */
  async function rewriteTail(orgId: string, from: number, app: TestApp = t): Promise<void> {
    const rows = await app.ownerQuery<{ seq: string; id: string; occurred_at: Date; actor_id: string | null; action: string; entity_type: string; entity_id: string; data: Record<string, unknown>; prev_hash: string }>(
      'SELECT seq, id, occurred_at, actor_id, action, entity_type, entity_id, data, prev_hash FROM audit_log WHERE organisation_id = $1 AND seq >= $2 ORDER BY seq',
      [orgId, from],
    );
    let prevHash = rows[0]!.prev_hash;
    for (const r of rows) {
      const data = Number(r.seq) === from ? { name: 'Innocent Ltd' } : r.data;
      const entry = { seq: Number(r.seq), id: r.id, occurredAt: r.occurred_at.toISOString(), actorId: r.actor_id, action: r.action, entityType: r.entity_type, entityId: r.entity_id, data, prevHash };
      const hash = entryHash(orgId, entry);
      await tamper(`UPDATE audit_log SET data = $3::jsonb, prev_hash = $4, hash = $5 WHERE organisation_id = $1 AND seq = $2`, [orgId, r.seq, JSON.stringify(data), prevHash, hash], app);
      prevHash = hash;
    }
  }

  it('verifies an untouched chain as intact, anchored from its first entry', async () => {
    const { owner, orgId } = await orgWithChain(5);
    expect(await verify(owner, orgId)).toMatchObject({ intact: true, anchoredUpTo: expect.any(Number) });
    const head = await anchorNow(owner, orgId);
    expect(await verify(owner, orgId)).toMatchObject({ intact: true, anchoredUpTo: head });
  });

  it('refuses UPDATE and DELETE of anchors while their append-only trigger is on, even for the owner', async () => {
    const { orgId } = await orgWithChain(1);
    await expect(t.ownerQuery(`DELETE FROM audit_anchors WHERE organisation_id = $1`, [orgId])).rejects.toThrow(/append-only/);
    await expect(t.appQueryAs(orgId, `UPDATE audit_anchors SET seq = 0 WHERE organisation_id = $1`, [orgId])).rejects.toThrow(/permission denied/);
  });

  it('detects a tail cut off after it was anchored (the chain alone still links), at the first missing seq', async () => {
    const { owner, orgId } = await orgWithChain(5);
    const head = await anchorNow(owner, orgId);
    await tamper(`DELETE FROM audit_log WHERE organisation_id = $1 AND seq >= $2`, [orgId, head - 1]);
    cases += 1;
    const result = await verify(owner, orgId);
    expect(result).toMatchObject({ intact: false, firstBreak: { seq: head - 1, reason: expect.stringMatching(/cut off/) } });
  });

  it('detects a tail rewritten with every hash and link recomputed after it was anchored', async () => {
    const { owner, orgId } = await orgWithChain(5);
    const head = await anchorNow(owner, orgId);
    await rewriteTail(orgId, 3);
    cases += 1;
    const result = await verify(owner, orgId);
    expect(result).toMatchObject({ intact: false, firstBreak: { seq: head, reason: expect.stringMatching(/anchored/) } });
  });

  it('detects an anchor that this service did not sign', async () => {
    const { owner, orgId } = await orgWithChain(3);
    const [row] = await t.ownerQuery<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log WHERE organisation_id = $1 ORDER BY seq DESC LIMIT 1', [orgId]);
    await t.ownerQuery(`INSERT INTO audit_anchors (organisation_id, seq, head_hash, anchored_at, key_id, signature) VALUES ($1, $2, $3, now(), 'forged', $4)`, [
      orgId,
      Number(row!.seq) + 5,
      row!.hash,
      Buffer.alloc(64).toString('base64url'),
    ]);
    cases += 1;
    expect(await verify(owner, orgId)).toMatchObject({ intact: false, firstBreak: { reason: expect.stringMatching(/not signed/) } });
  });

  it('refuses UPDATE and DELETE while the append-only trigger is on, even for the owner', async () => {
    const { orgId } = await orgWithChain(2);
    await expect(t.ownerQuery(`UPDATE audit_log SET action = 'x' WHERE organisation_id = $1`, [orgId])).rejects.toThrow();
    await expect(t.ownerQuery(`DELETE FROM audit_log WHERE organisation_id = $1`, [orgId])).rejects.toThrow();
    await expect(t.appQueryAs(orgId, `UPDATE audit_log SET action = 'x' WHERE organisation_id = $1`, [orgId])).rejects.toThrow(/permission denied/);
  });

  it('detects an UPDATE of one entry’s content at that seq', async () => {
    const { owner, orgId } = await orgWithChain(5);
    await tamper(`UPDATE audit_log SET data = '{"name":"Innocent Ltd"}'::jsonb WHERE organisation_id = $1 AND seq = 3`, [orgId]);
    cases += 1;
    expect(await verify(owner, orgId)).toMatchObject({ intact: false, firstBreak: { seq: 3 } });
  });

  it('detects a DELETE of one entry at the missing seq', async () => {
    const { owner, orgId } = await orgWithChain(5);
    await tamper(`DELETE FROM audit_log WHERE organisation_id = $1 AND seq = 3`, [orgId]);
    cases += 1;
    expect(await verify(owner, orgId)).toMatchObject({ intact: false, firstBreak: { seq: 3 } });
  });

  it('detects a reorder (two seqs’ content swapped) at the first swapped seq', async () => {
    const { owner, orgId } = await orgWithChain(5);
    // Swap the two entries' positions: each row keeps its content and hash but moves to the other seq.
    await tamper(`UPDATE audit_log SET seq = -3 WHERE organisation_id = $1 AND seq = 3`, [orgId]);
    await tamper(`UPDATE audit_log SET seq = 3 WHERE organisation_id = $1 AND seq = 4`, [orgId]);
    await tamper(`UPDATE audit_log SET seq = 4 WHERE organisation_id = $1 AND seq = -3`, [orgId]);
    cases += 1;
    expect(await verify(owner, orgId)).toMatchObject({ intact: false, firstBreak: { seq: 3 } });
  });

  it('detects a rewritten entry whose hash was recomputed, at the next seq (the link no longer matches)', async () => {
    const { owner, orgId } = await orgWithChain(5);
    // Without the secret anchor an attacker can recompute one hash; the next entry's prev_hash still points at the old one.
    await tamper(`UPDATE audit_log SET hash = repeat('a', 64) WHERE organisation_id = $1 AND seq = 3`, [orgId]);
    cases += 1;
    const result = await verify(owner, orgId);
    expect(result.intact).toBe(false);
    expect(result.firstBreak?.seq).toBe(3);
  });
  it('says which key it trusted anchors from: the one held outside the database', async () => {
    const { owner, orgId } = await orgWithChain(2);
    expect(await verify(owner, orgId)).toMatchObject({ intact: true, anchorKey: { source: 'file', keyId: outsideKeyId } });
    const [anchor] = await t.ownerQuery<{ key_id: string }>('SELECT key_id FROM audit_anchors WHERE organisation_id = $1 ORDER BY seq LIMIT 1', [orgId]);
    expect(anchor!.key_id).toBe(outsideKeyId);
  });

  it('detects a chain rewritten together with its anchors re-signed with the key the database holds', async () => {
    const { owner, orgId } = await orgWithChain(5);
    const head = await anchorNow(owner, orgId);
    await rewriteTail(orgId, 3);
    await resignAnchorsWithDatabaseKey(orgId, 3);
    cases += 1;
    const result = await verify(owner, orgId);
    expect(result).toMatchObject({ intact: false, firstBreak: { seq: head, reason: expect.stringMatching(/report key .* forged/) }, anchorKey: { source: 'file' } });
  });

  describe('with the anchor key in the database (AUDIT_ANCHOR_KEY and REPORT_SIGNING_KEY unset)', () => {
    let d: TestApp;
    beforeAll(async () => {
      d = await startTestApp();
    });
    afterAll(async () => {
      await d.close();
    });

    it('cannot tell a chain rewritten together with its re-signed anchors (the limit AUDIT_ANCHOR_KEY closes), and says the key is the database’s', async () => {
      const { owner, orgId } = await orgWithChain(5, d);
      await anchorNow(owner, orgId, d);
      await rewriteTail(orgId, 3, d);
      await resignAnchorsWithDatabaseKey(orgId, 3, d);
      expect(await verify(owner, orgId, d)).toMatchObject({ intact: true, anchorKey: { source: 'database' } });
    });
  });

  /**
   * Issue 20: every row scoring reads (and assessment status, signature and verifications) is
   * chained when written; each field forged here as a superuser, on a draft assessment (or on rows
   * a signed assessment's freeze does not cover), is reported as drift naming table, row and field.
   */
  describe('forged rows that scoring reads', () => {
    let owner: SignedInUser;
    let assessor: SignedInUser;
    let auditor: SignedInUser;
    let orgId: string;
    let draft: string;
    let evidenceId: string;
    let verificationId: string;

    beforeAll(async () => {
      owner = await signUp(t);
      orgId = orgOf(owner);
      assessor = await addMember(t, orgId, 'assessor');
      auditor = await addMember(t, orgId, 'auditor');
      const base = `/api/v1/orgs/${orgId}/assessments`;
      await as(t, owner).put(`/api/v1/orgs/${orgId}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
      draft = ((await as(t, owner).post(base).send({}).expect(201)).body as AssessmentResponse).id;
      await as(t, owner).put(`${base}/${draft}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 3, justification: 'Board minutes', comment: 'Signed by the CEO' }).expect(200);
      await as(t, owner).put(`${base}/${draft}/answers/NOV-05`).set('If-None-Match', '*').send({ value: 'not_applicable', justification: 'No signal-sharing partners exist for our sector' }).expect(200);
      await as(t, assessor).post(`${base}/${draft}/reviews`).send({ items: [{ questionId: 'GOV-01', decision: 'approve' }] }).expect(200);
      await as(t, owner).put(`${base}/${draft}/targets/TRN-05`).send({ target: 1, reason: 'Small team' }).expect(200);
      evidenceId = (
        await as(t, owner)
          .post(`/api/v1/orgs/${orgId}/evidence`)
          .send({ title: 'Hash-matching policy v3', kind: 'policy', externalRef: 'https://intranet.example/policies/hash-matching', issuedAt: '2026-01-15T00:00:00Z' })
          .expect(201)
      ).body.id as string;
      await as(t, owner).put(`${base}/${draft}/answers/GOV-01/evidence/${evidenceId}`).expect(200);
      // An open on record (audited state since issue 24), for its forgeries below.
      await as(t, owner).get(`/api/v1/orgs/${orgId}/evidence/${evidenceId}/open`).expect(303);

      // A signed and verified assessment, for the verification row (its own rows are frozen by the database).
      const signed = ((await as(t, owner).post(base).send({}).expect(201)).body as AssessmentResponse).id;
      await as(t, owner).post(`${base}/${signed}/submit`).expect(200);
      const check = (await as(t, owner).get(`${base}/${signed}/attestation-check`).expect(200)).body as { statement: string; exceptions: { id: string }[] };
      await as(t, owner).post(`${base}/${signed}/sign-off`).send({ statement: check.statement, acknowledged: check.exceptions.map((e) => e.id), reauth: { password: owner.credentials.password } }).expect(200);
      await as(t, auditor).post(`${base}/${signed}/verification`).send({ note: 'Sampled 10 items' }).expect(200);
      const [v] = await t.ownerQuery<{ id: string }>('SELECT id FROM assessment_verifications WHERE organisation_id = $1', [orgId]);
      verificationId = v!.id;
      expect(await verify(owner, orgId)).toMatchObject({ intact: true, drift: [] });
    });

    interface Forgery {
      table: AuditedTableName;
      field: string;
      /** The row's key columns, as AUDITED_STATE names them. */
      key: () => Record<string, string>;
      /** The forged value (text, cast by PostgreSQL to the column's type). */
      to: () => string;
    }

    const gov01 = () => ({ assessment_id: draft, question_id: 'GOV-01' });
    const nov05 = () => ({ assessment_id: draft, question_id: 'NOV-05' });
    const FORGERIES: Forgery[] = [
      { table: 'assessments', field: 'status', key: () => ({ id: draft }), to: () => 'in_review' },
      { table: 'assessments', field: 'framework_id', key: () => ({ id: draft }), to: () => 'hoh-csam-lenient' },
      { table: 'assessments', field: 'framework_version', key: () => ({ id: draft }), to: () => '0.0.1' },
      { table: 'assessments', field: 'signature', key: () => ({ id: draft }), to: () => JSON.stringify({ statement: 'I attest.' }) },
      { table: 'assessments', field: 'signed_scoring_input', key: () => ({ id: draft }), to: () => JSON.stringify({ answers: [] }) },
      { table: 'assessments', field: 'signed_score', key: () => ({ id: draft }), to: () => '97.5' },
      { table: 'assessments', field: 'signed_band', key: () => ({ id: draft }), to: () => 'green' },
      { table: 'answers', field: 'value', key: gov01, to: () => '4' },
      { table: 'answers', field: 'justification', key: gov01, to: () => 'Audited by Big Four' },
      { table: 'answers', field: 'comment', key: gov01, to: () => 'Nothing to add' },
      // Detection figures (TRN-06's, issue 22) written behind the API's back: every reportable one "reported".
      { table: 'answers', field: 'figures', key: gov01, to: () => JSON.stringify({ detections: 3, reportable: 3, reported: 3, medianHoursToReport: 1 }) },
      { table: 'answers', field: 'version', key: gov01, to: () => '9' },
      { table: 'answers', field: 'author_id', key: gov01, to: () => assessor.me.user.id },
      // The attack: approve an answer (and its N/A) nobody reviewed.
      { table: 'answers', field: 'review_status', key: nov05, to: () => 'approved' },
      { table: 'answers', field: 'reviewer_id', key: nov05, to: () => assessor.me.user.id },
      { table: 'answers', field: 'na_approved', key: nov05, to: () => 'true' },
      { table: 'evidence', field: 'status', key: () => ({ id: evidenceId }), to: () => 'accepted' },
      { table: 'evidence', field: 'kind', key: () => ({ id: evidenceId }), to: () => 'metrics' },
      { table: 'evidence', field: 'issued_at', key: () => ({ id: evidenceId }), to: () => '2026-06-01T00:00:00Z' },
      { table: 'evidence', field: 'expires_at', key: () => ({ id: evidenceId }), to: () => '2099-01-01T00:00:00Z' },
      { table: 'evidence', field: 'reviewer_id', key: () => ({ id: evidenceId }), to: () => assessor.me.user.id },
      { table: 'evidence', field: 'sha256', key: () => ({ id: evidenceId }), to: () => 'f'.repeat(64) },
      { table: 'target_overrides', field: 'target', key: () => ({ assessment_id: draft, question_id: 'TRN-05' }), to: () => '0' },
      { table: 'organisation_profiles', field: 'profile', key: () => ({ organisation_id: orgId }), to: () => JSON.stringify(ProfileFactory.enterpriseOnly()) },
      { table: 'assessment_verifications', field: 'assessment_id', key: () => ({ id: verificationId }), to: () => draft },
      { table: 'assessment_verifications', field: 'auditor_id', key: () => ({ id: verificationId }), to: () => assessor.me.user.id },
      // An open made to look recent, or made another way, behind the API's back.
      { table: 'evidence_opens', field: 'opened_at', key: () => ({ evidence_id: evidenceId, user_id: owner.me.user.id }), to: () => '2099-01-01 00:00:00+00' },
      { table: 'evidence_opens', field: 'how', key: () => ({ evidence_id: evidenceId, user_id: owner.me.user.id }), to: () => 'declared' },
    ];

    it('has a forgery for every audited field', () => {
      const audited = Object.entries(AUDITED_STATE).flatMap(([table, spec]) => Object.keys(spec.columns).map((c) => `${table}.${c}`));
      expect(FORGERIES.map((f) => `${f.table}.${f.field}`).sort()).toEqual(audited.sort());
    });

    it.each(FORGERIES.map((f) => [`${f.table}.${f.field}`, f] as const))('reports %s changed directly in the database as drift naming table, row and field', async (_name, f) => {
      const key = f.key();
      const where = Object.keys(key).map((k, i) => `"${k}" = $${i + 2}`).join(' AND ');
      const params = [orgId, ...Object.values(key)];
      const [before] = await t.ownerQuery<{ v: string | null }>(`SELECT "${f.field}"::text AS v FROM "${f.table}" WHERE organisation_id = $1 AND ${where}`, params);
      expect(before).toBeDefined();
      expect(before!.v).not.toBe(f.to());
      await t.ownerQuery(`UPDATE "${f.table}" SET "${f.field}" = $${params.length + 1} WHERE organisation_id = $1 AND ${where}`, [...params, f.to()]);
      cases += 1;
      try {
        const result = await verify(owner, orgId);
        expect(result.intact).toBe(false);
        const id = AUDITED_STATE[f.table].key.map((k) => key[k]).join('/');
        expect(result.drift).toEqual([{ table: f.table, id, field: f.field, reason: expect.stringMatching(/differs from its last audited value/) }]);
      } finally {
        await t.ownerQuery(`UPDATE "${f.table}" SET "${f.field}" = $${params.length + 1} WHERE organisation_id = $1 AND ${where}`, [...params, before!.v]);
      }
      expect(await verify(owner, orgId)).toMatchObject({ intact: true, drift: [] });
    });

    it('reports rows inserted or deleted directly in the database (answers, evidence links, evidence, verifications)', async () => {
      const FORGED_EVIDENCE = '00000000-0000-4000-8000-000000000001';
      const FORGED_VERIFICATION = '00000000-0000-4000-8000-000000000002';
      const inserted: [AuditedTableName, string, string, unknown[]][] = [
        ['answers', `${draft}/GOV-02`, `INSERT INTO answers (organisation_id, assessment_id, question_id, value, author_id, review_status, reviewer_id) VALUES ($1, $2, 'GOV-02', '4', $3, 'approved', $4)`, [orgId, draft, owner.me.user.id, assessor.me.user.id]],
        ['answer_evidence', `${draft}/GOV-02/${evidenceId}`, `INSERT INTO answer_evidence (organisation_id, assessment_id, question_id, evidence_id, linked_by) VALUES ($1, $2, 'GOV-02', $3, $4)`, [orgId, draft, evidenceId, owner.me.user.id]],
        ['evidence', FORGED_EVIDENCE, `INSERT INTO evidence (organisation_id, id, title, kind, source, external_ref, issued_at, status, uploaded_by) VALUES ($1, '${FORGED_EVIDENCE}', 'KPI export', 'metrics', 'external', 'https://intranet.example/kpi', now(), 'accepted', $2)`, [orgId, owner.me.user.id]],
        ['assessment_verifications', FORGED_VERIFICATION, `INSERT INTO assessment_verifications (organisation_id, id, assessment_id, auditor_id) VALUES ($1, '${FORGED_VERIFICATION}', $2, $3)`, [orgId, draft, auditor.me.user.id]],
      ];
      for (const [table, id, sql, params] of inserted) {
        await t.ownerQuery(sql, params);
        cases += 1;
        const result = await verify(owner, orgId);
        expect(result).toMatchObject({ intact: false });
        expect(result.drift).toContainEqual({ table, id, reason: expect.stringMatching(/no audit entry/) });
      }
      await t.ownerQuery(`DELETE FROM assessment_verifications WHERE organisation_id = $1 AND id = '${FORGED_VERIFICATION}'`, [orgId]);
      await t.ownerQuery(`DELETE FROM evidence WHERE organisation_id = $1 AND id = '${FORGED_EVIDENCE}'`, [orgId]);
      await t.ownerQuery(`DELETE FROM answer_evidence WHERE organisation_id = $1 AND question_id = 'GOV-02'`, [orgId]);
      await t.ownerQuery(`DELETE FROM answers WHERE organisation_id = $1 AND question_id = 'GOV-02'`, [orgId]);
      expect(await verify(owner, orgId)).toMatchObject({ intact: true, drift: [] });

      // An evidence link removed (the score loses its evidence), then put back as it was.
      await t.ownerQuery(`DELETE FROM answer_evidence WHERE organisation_id = $1 AND assessment_id = $2 AND question_id = 'GOV-01'`, [orgId, draft]);
      cases += 1;
      expect((await verify(owner, orgId)).drift).toEqual([{ table: 'answer_evidence', id: `${draft}/GOV-01/${evidenceId}`, reason: expect.stringMatching(/gone/) }]);
      await t.ownerQuery(`INSERT INTO answer_evidence (organisation_id, assessment_id, question_id, evidence_id, linked_by) VALUES ($1, $2, 'GOV-01', $3, $4)`, [orgId, draft, evidenceId, owner.me.user.id]);
      expect(await verify(owner, orgId)).toMatchObject({ intact: true, drift: [] });
    });

    it('stays intact through writes made by the API after a forgery was put back, and chains their state', async () => {
      // Accepting requires opening: following the link records the open (its own audited row).
      await as(t, assessor).get(`/api/v1/orgs/${orgId}/evidence/${evidenceId}/open`).expect(303);
      await as(t, assessor).post(`/api/v1/orgs/${orgId}/evidence/${evidenceId}/review`).send({ decision: 'accept' }).expect(200);
      const [entry] = await t.ownerQuery<{ data: { state?: { table: string; key: string; values: Record<string, unknown> }[] } }>(
        `SELECT data FROM audit_log WHERE organisation_id = $1 AND action = 'evidence.reviewed' ORDER BY seq DESC LIMIT 1`,
        [orgId],
      );
      expect(entry!.data.state).toEqual([{ table: 'evidence', key: evidenceId, values: expect.objectContaining({ status: 'accepted', reviewer_id: assessor.me.user.id }) }]);
      expect(await verify(owner, orgId)).toMatchObject({ intact: true, drift: [] });
    });
  });
});
