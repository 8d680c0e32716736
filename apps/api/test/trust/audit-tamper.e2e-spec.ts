import { DataSource } from 'typeorm';

import { type AuditVerifyResponse } from '@hoh/contracts';

import { runAsMember } from '../../src/database/tenant-context.js';
import { AuditService, entryHash } from '../../src/modules/audit/audit.service.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Tampering done directly in the database, as the owner who can disable the append-only trigger
 * (issue 8 §8, TRUST-AND-SPEED T10): verify must report the first broken seq for each.
 */
describe('audit log tamper evidence', () => {
  let t: TestApp;
  let cases = 0;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    console.log(`audit tamper: ${cases} tampering cases detected`);
    await t.close();
  });

  /** A new organisation with a chain of at least `entries` audit entries. */
  async function orgWithChain(entries: number): Promise<{ owner: SignedInUser; orgId: string }> {
    const owner = await signUp(t);
    const orgId = orgOf(owner);
    for (let i = 0; i < entries; i++) await as(t, owner).patch(`/api/v1/orgs/${orgId}`).send({ name: `Acme ${i}` }).expect(200);
    const [n] = await t.ownerQuery<{ n: string }>('SELECT count(*) AS n FROM audit_log WHERE organisation_id = $1', [orgId]);
    expect(Number(n!.n)).toBeGreaterThanOrEqual(entries);
    return { owner, orgId };
  }

  /** Runs `sql` with the append-only trigger off, as only a database owner could, and always turns it back on. */
  async function tamper(sql: string, params: unknown[]): Promise<void> {
    await t.ownerQuery('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
    try {
      await t.ownerQuery(sql, params);
    } finally {
      await t.ownerQuery('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
    }
  }

  const verify = async (owner: SignedInUser, orgId: string) => (await as(t, owner).get(`/api/v1/orgs/${orgId}/audit-log/verify`).expect(200)).body as AuditVerifyResponse;

  /** Signs the current chain head now, as the periodic anchoring would once its interval passed. */
  async function anchorNow(owner: SignedInUser, orgId: string): Promise<number> {
    const member = { organisationId: orgId, userId: owner.me.user.id, role: 'owner' as const, accountableIndividual: true };
    return runAsMember(t.app.get(DataSource), member, () => t.app.get(AuditService).anchorNow());
  }

  /** Rewrites entry `from` and recomputes every later hash and link, as an insider with the code could. */
  async function rewriteTail(orgId: string, from: number): Promise<void> {
    const rows = await t.ownerQuery<{ seq: string; id: string; occurred_at: Date; actor_id: string | null; action: string; entity_type: string; entity_id: string; data: Record<string, unknown>; prev_hash: string }>(
      'SELECT seq, id, occurred_at, actor_id, action, entity_type, entity_id, data, prev_hash FROM audit_log WHERE organisation_id = $1 AND seq >= $2 ORDER BY seq',
      [orgId, from],
    );
    let prevHash = rows[0]!.prev_hash;
    for (const r of rows) {
      const data = Number(r.seq) === from ? { name: 'Innocent Ltd' } : r.data;
      const entry = { seq: Number(r.seq), id: r.id, occurredAt: r.occurred_at.toISOString(), actorId: r.actor_id, action: r.action, entityType: r.entity_type, entityId: r.entity_id, data, prevHash };
      const hash = entryHash(orgId, entry);
      await tamper(`UPDATE audit_log SET data = $3::jsonb, prev_hash = $4, hash = $5 WHERE organisation_id = $1 AND seq = $2`, [orgId, r.seq, JSON.stringify(data), prevHash, hash]);
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
});
