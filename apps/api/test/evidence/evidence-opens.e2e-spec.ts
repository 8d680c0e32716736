import { randomUUID } from 'node:crypto';

import { EvidencePageSchema, EvidenceResponseSchema, EvidenceReviewBatchResponseSchema } from '@hoh/contracts';

import { buildRealPdf } from '../factories/evidence-files.factory.js';
import { evidenceFields, memberWithRole, upload } from '../factories/evidence.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

/**
 * Issue 24, docs/PRODUCT.md §6: a reviewer must open the evidence they accept. The server keeps its
 * own record of opens (evidence_opens, one audit entry each) and refuses an accept without one.
 */
describe('evidence: accepting requires opening', () => {
  const clock = new TestClock();
  let t: TestApp;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let contributor: SignedInUser;
  let auditor: SignedInUser;
  let outsider: SignedInUser;
  let org: string;
  let url: string;
  let pdf: Buffer;

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    owner = await signUp(t);
    org = orgOf(owner);
    url = `/api/v1/orgs/${org}/evidence`;
    assessor = await memberWithRole(t, org, 'assessor');
    contributor = await memberWithRole(t, org, 'contributor');
    auditor = await memberWithRole(t, org, 'auditor');
    outsider = await signUp(t);
    pdf = await buildRealPdf('Hash-matching policy v3');
  });
  afterAll(async () => {
    await t.close();
  });

  const uploadPdf = async (by: SignedInUser = contributor, title = 'Hash-matching policy v3') =>
    EvidenceResponseSchema.parse((await upload(t, by, org, pdf, 'policy.pdf', evidenceFields({ title })).expect(201)).body);
  const reference = async (externalRef: string, by: SignedInUser = contributor) =>
    EvidenceResponseSchema.parse((await as(t, by).post(url).send({ title: 'Hash list contract', kind: 'contract', externalRef, issuedAt: '2026-01-15T00:00:00Z' }).expect(201)).body);
  const state = async (id: string) =>
    (await t.ownerQuery<{ status: string; version: number; reviewer_id: string | null }>(`SELECT status, version, reviewer_id FROM evidence WHERE id = $1`, [id]))[0];
  const opens = (id: string) => t.ownerQuery<{ user_id: string; how: string; opened_at: Date }>(`SELECT user_id, how, opened_at FROM evidence_opens WHERE evidence_id = $1 ORDER BY user_id`, [id]);

  it('refuses to accept evidence the reviewer has not opened (409 EVIDENCE_NOT_OPENED) and changes nothing', async () => {
    const e = await uploadPdf();
    expect(e.openedByYouAt).toBeNull();
    const auditBefore = await t.ownerQuery<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log WHERE organisation_id = $1`, [org]);
    const res = await as(t, assessor).post(`${url}/${e.id}/review`).send({ decision: 'accept' }).expect(409);
    expect(res.body.error).toMatchObject({ code: 'EVIDENCE_NOT_OPENED', message: expect.stringMatching(/^Open this evidence before accepting it/) });
    expect(await state(e.id)).toEqual({ status: 'pending', version: 1, reviewer_id: null });
    expect(await t.ownerQuery<{ n: string }>(`SELECT count(*)::text AS n FROM audit_log WHERE organisation_id = $1`, [org])).toEqual(auditBefore);
    // Rejecting needs no open: a reviewer may send back what they can see is the wrong document.
    await as(t, assessor).post(`${url}/${e.id}/review`).send({ decision: 'reject', reason: 'Wrong title: upload the signed policy' }).expect(200);
  });

  it('accepts once the reviewer downloaded the file, and says when they opened it (from the injected clock)', async () => {
    const e = await uploadPdf();
    clock.advance(60_000);
    await as(t, assessor).get(`${url}/${e.id}/content`).expect(200);
    const seen = EvidenceResponseSchema.parse((await as(t, assessor).get(`${url}/${e.id}`).expect(200)).body);
    expect(seen.openedByYouAt).toBe(clock.now().toISOString());
    const accepted = await as(t, assessor).post(`${url}/${e.id}/review`).send({ decision: 'accept' }).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', counts: true, reviewer: { userId: assessor.me.user.id }, openedByYouAt: clock.now().toISOString() });
    expect(await opens(e.id)).toEqual([{ user_id: assessor.me.user.id, how: 'content', opened_at: clock.now() }]);
  });

  it('does not count a HEAD request (no content delivered) as an open', async () => {
    const e = await uploadPdf();
    await as(t, assessor).get(`${url}/${e.id}/content`).expect(200);
    await t.http().head(`${url}/${e.id}/content`).set('Cookie', owner.cookie).expect(200);
    await t.http().head(`${url}/${e.id}/open`).set('Cookie', owner.cookie).expect(303);
    expect((await opens(e.id)).map((o) => o.user_id)).toEqual([assessor.me.user.id]);
  });

  it('lets an auditor open (download) evidence, and records that open as theirs', async () => {
    const e = await uploadPdf();
    await as(t, auditor).get(`${url}/${e.id}/content`).expect(200);
    expect(await opens(e.id)).toEqual([{ user_id: auditor.me.user.id, how: 'content', opened_at: clock.now() }]);
    const entries = await t.ownerQuery<{ actor_id: string; data: { how: string } }>(`SELECT actor_id, data FROM audit_log WHERE organisation_id = $1 AND action = 'evidence.opened' AND entity_id = $2`, [org, e.id]);
    expect(entries).toEqual([{ actor_id: auditor.me.user.id, data: expect.objectContaining({ how: 'content', sha256: e.sha256 }) }]);
  });

  it('redirects (303) to an external link and records the open; a file redirects to its download', async () => {
    const link = await reference('https://dms.example.org/docs/4711 v2');
    const res = await as(t, assessor).get(`${url}/${link.id}/open`).expect(303);
    expect(res.headers['location']).toBe('https://dms.example.org/docs/4711%20v2');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(await opens(link.id)).toEqual([{ user_id: assessor.me.user.id, how: 'link', opened_at: clock.now() }]);
    await as(t, assessor).post(`${url}/${link.id}/review`).send({ decision: 'accept' }).expect(200);

    const file = await uploadPdf();
    const toFile = await as(t, owner).get(`${url}/${file.id}/open`).expect(303);
    expect(toFile.headers['location']).toBe(`${url}/${file.id}/content`);
    // The redirect to a file records nothing itself: the download it leads to does, once.
    expect(await opens(file.id)).toEqual([]);
    await as(t, owner).get(toFile.headers['location']!).expect(200);
    expect(await opens(file.id)).toEqual([{ user_id: owner.me.user.id, how: 'content', opened_at: clock.now() }]);
    // POST …/opens is only for a document id: a file or link is opened, not declared.
    const declared = await as(t, owner).post(`${url}/${link.id}/opens`).expect(409);
    expect(declared.body.error).toMatchObject({ code: 'EVIDENCE_OPEN_IT', message: expect.stringMatching(/follow its link/) });
    expect((await as(t, owner).post(`${url}/${file.id}/opens`).expect(409)).body.error.code).toBe('EVIDENCE_OPEN_IT');
  });

  it('answers 409 EVIDENCE_NOT_A_LINK on …/open for a document id, and records the look-up declared with POST …/opens', async () => {
    const ref = await reference('DMS-4711');
    const res = await as(t, assessor).get(`${url}/${ref.id}/open`).expect(409);
    expect(res.body.error).toMatchObject({ code: 'EVIDENCE_NOT_A_LINK', message: expect.stringMatching(/Look it up there, then record that you did with POST/) });
    expect(await opens(ref.id)).toEqual([]);
    await as(t, assessor).post(`${url}/${ref.id}/review`).send({ decision: 'accept' }).expect(409);
    const declared = EvidenceResponseSchema.parse((await as(t, assessor).post(`${url}/${ref.id}/opens`).expect(200)).body);
    expect(declared.openedByYouAt).toBe(clock.now().toISOString());
    expect(await opens(ref.id)).toEqual([{ user_id: assessor.me.user.id, how: 'declared', opened_at: clock.now() }]);
    await as(t, assessor).post(`${url}/${ref.id}/review`).send({ decision: 'accept' }).expect(200);
  });

  it('shows openedByYouAt per person: another member still sees null, in the list and on the item', async () => {
    const e = await uploadPdf();
    await as(t, assessor).get(`${url}/${e.id}/content`).expect(200);
    const mine = EvidencePageSchema.parse((await as(t, assessor).get(`${url}?limit=200`).expect(200)).body).items.find((i) => i.id === e.id);
    expect(mine?.openedByYouAt).toBe(clock.now().toISOString());
    const theirs = EvidencePageSchema.parse((await as(t, owner).get(`${url}?limit=200`).expect(200)).body).items.find((i) => i.id === e.id);
    expect(theirs?.openedByYouAt).toBeNull();
    expect(EvidenceResponseSchema.parse((await as(t, owner).get(`${url}/${e.id}`).expect(200)).body).openedByYouAt).toBeNull();
    // The assessor's open does not let the owner accept.
    expect((await as(t, owner).post(`${url}/${e.id}/review`).send({ decision: 'accept' }).expect(409)).body.error.code).toBe('EVIDENCE_NOT_OPENED');
  });

  describe('POST …/evidence/reviews (many at once)', () => {
    it('accepts several opened items in one request, answering them in request order', async () => {
      const items = [await uploadPdf(), await uploadPdf(), await uploadPdf()];
      for (const e of items) await as(t, assessor).get(`${url}/${e.id}/content`).expect(200);
      const ids = [items[2]!.id, items[0]!.id, items[1]!.id];
      const res = EvidenceReviewBatchResponseSchema.parse((await as(t, assessor).post(`${url}/reviews`).send({ evidenceIds: ids, decision: 'accept' }).expect(200)).body);
      expect(res.items.map((i) => [i.id, i.status, i.reviewer?.userId])).toEqual(ids.map((id) => [id, 'accepted', assessor.me.user.id]));
      const entries = await t.ownerQuery<{ entity_id: string }>(`SELECT entity_id FROM audit_log WHERE organisation_id = $1 AND action = 'evidence.reviewed' AND entity_id = ANY($2::text[])`, [org, ids]);
      expect(entries.map((e) => e.entity_id).sort()).toEqual([...ids].sort());
      // The same batch again (another reviewer got there first): left as it is, no new entries.
      const again = EvidenceReviewBatchResponseSchema.parse((await as(t, assessor).post(`${url}/reviews`).send({ evidenceIds: ids, decision: 'accept' }).expect(200)).body);
      expect(again.items.map((i) => i.version)).toEqual(res.items.map((i) => i.version));
      expect(await t.ownerQuery(`SELECT entity_id FROM audit_log WHERE organisation_id = $1 AND action = 'evidence.reviewed' AND entity_id = ANY($2::text[])`, [org, ids])).toHaveLength(3);
    });

    it('is all or nothing: one unopened item answers 409 naming it, and none is accepted', async () => {
      const opened = await uploadPdf();
      const unopened = await uploadPdf();
      await as(t, assessor).get(`${url}/${opened.id}/content`).expect(200);
      const res = await as(t, assessor).post(`${url}/reviews`).send({ evidenceIds: [opened.id, unopened.id], decision: 'accept' }).expect(409);
      expect(res.body.error).toMatchObject({ code: 'EVIDENCE_NOT_OPENED', details: [{ path: 'evidenceIds.1', message: expect.stringMatching(/^Open this evidence/) }] });
      expect(await state(opened.id)).toEqual({ status: 'pending', version: 1, reviewer_id: null });
      expect(await state(unopened.id)).toEqual({ status: 'pending', version: 1, reviewer_id: null });
    });

    it('rejects many with one reason, which is required, and needs no opens', async () => {
      const items = [await uploadPdf(), await uploadPdf()];
      const noReason = await as(t, assessor).post(`${url}/reviews`).send({ evidenceIds: items.map((e) => e.id), decision: 'reject' }).expect(400);
      expect(noReason.body.error.details).toEqual([expect.objectContaining({ path: 'reason' })]);
      const res = EvidenceReviewBatchResponseSchema.parse(
        (await as(t, assessor).post(`${url}/reviews`).send({ evidenceIds: items.map((e) => e.id), decision: 'reject', reason: 'Unsigned drafts; upload the approved versions' }).expect(200)).body,
      );
      expect(res.items.map((i) => [i.status, i.reviewReason])).toEqual([
        ['rejected', 'Unsigned drafts; upload the approved versions'],
        ['rejected', 'Unsigned drafts; upload the approved versions'],
      ]);
    });

    it('refuses your own upload with 409 INVALID_STATE naming it, and changes nothing', async () => {
      const theirs = await uploadPdf();
      const own = await uploadPdf(assessor);
      for (const e of [theirs, own]) await as(t, assessor).get(`${url}/${e.id}/content`).expect(200);
      const res = await as(t, assessor).post(`${url}/reviews`).send({ evidenceIds: [theirs.id, own.id], decision: 'accept' }).expect(409);
      expect(res.body.error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/someone else must review it/), details: [{ path: 'evidenceIds.1', message: expect.any(String) }] });
      expect(await state(theirs.id)).toEqual({ status: 'pending', version: 1, reviewer_id: null });
    });

    it('answers 404 naming another organisation’s or an unknown id, exactly alike, and changes nothing', async () => {
      const mine = await uploadPdf();
      await as(t, assessor).get(`${url}/${mine.id}/content`).expect(200);
      const foreign = EvidenceResponseSchema.parse((await upload(t, outsider, orgOf(outsider), pdf, 'theirs.pdf').expect(201)).body);
      const unknown = '00000000-0000-4000-8000-00000000abcd';
      const res = await as(t, assessor).post(`${url}/reviews`).send({ evidenceIds: [mine.id, foreign.id, unknown], decision: 'accept' }).expect(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: [{ path: 'evidenceIds.1' }, { path: 'evidenceIds.2' }] });
      expect(res.body.error.details[0].message).toBe(res.body.error.details[1].message);
      expect(await state(mine.id)).toMatchObject({ status: 'pending' });
      expect(await state(foreign.id)).toMatchObject({ status: 'pending' });
    });

    it('answers 400 for no ids, repeated ids or more than 100, and 403 for roles that may not manage', async () => {
      const e = await uploadPdf();
      for (const evidenceIds of [[], [e.id, e.id], Array.from({ length: 101 }, () => randomUUID())]) {
        const res = await as(t, assessor).post(`${url}/reviews`).send({ evidenceIds, decision: 'accept' }).expect(400);
        expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'evidenceIds' })]);
      }
      await as(t, auditor).post(`${url}/reviews`).send({ evidenceIds: [e.id], decision: 'reject', reason: 'x' }).expect(403);
      await as(t, contributor).post(`${url}/reviews`).send({ evidenceIds: [e.id], decision: 'reject', reason: 'x' }).expect(403);
    });
  });

  it('never lets one organisation open, declare or see another’s evidence (404)', async () => {
    const foreign = EvidenceResponseSchema.parse((await upload(t, outsider, orgOf(outsider), pdf, 'theirs.pdf').expect(201)).body);
    const foreignRef = EvidenceResponseSchema.parse(
      (await as(t, outsider).post(`/api/v1/orgs/${orgOf(outsider)}/evidence`).send({ title: 'x', kind: 'policy', externalRef: 'DMS-1', issuedAt: '2026-01-01T00:00:00Z' }).expect(201)).body,
    );
    await as(t, owner).get(`${url}/${foreign.id}/content`).expect(404);
    await as(t, owner).get(`${url}/${foreign.id}/open`).expect(404);
    await as(t, owner).post(`${url}/${foreignRef.id}/opens`).expect(404);
    await as(t, owner).get(`${url}/not-a-uuid/open`).expect(404);
    expect(await opens(foreign.id)).toEqual([]);
    expect(await opens(foreignRef.id)).toEqual([]);
  });

  it('reports an open inserted behind the API’s back (to make a blind acceptance look opened) as drift', async () => {
    const e = await uploadPdf();
    await t.ownerQuery(`INSERT INTO evidence_opens (organisation_id, evidence_id, user_id, opened_at, how) VALUES ($1, $2, $3, now(), 'content')`, [org, e.id, owner.me.user.id]);
    try {
      const verify = await as(t, owner).get(`/api/v1/orgs/${org}/audit-log/verify`).expect(200);
      expect(verify.body).toMatchObject({ intact: false, drift: [{ table: 'evidence_opens', id: `${e.id}/${owner.me.user.id}`, reason: expect.stringMatching(/no audit entry/) }] });
    } finally {
      await t.ownerQuery(`DELETE FROM evidence_opens WHERE evidence_id = $1`, [e.id]);
    }
  });

  it('audits every open as evidence.opened, and the chain (with the opens as audited state) verifies', async () => {
    const rows = await t.ownerQuery<{ data: { how: string; state?: { table: string }[] } }>(`SELECT data FROM audit_log WHERE organisation_id = $1 AND action = 'evidence.opened'`, [org]);
    expect(new Set(rows.map((r) => r.data.how))).toEqual(new Set(['content', 'link', 'declared']));
    expect(rows.every((r) => r.data.state?.some((s) => s.table === 'evidence_opens'))).toBe(true);
    const verify = await as(t, owner).get(`/api/v1/orgs/${org}/audit-log/verify`).expect(200);
    expect(verify.body).toMatchObject({ intact: true, drift: [] });
  });
});
