import { CreateApiTokenResponseSchema } from '@hoh/contracts';

import { evidenceFields, upload } from '../factories/evidence.factory.js';
import { buildRealPdf } from '../factories/evidence-files.factory.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import type { TestApp } from '../support/test-app.js';

/** One organisation with at least one object of every kind the API writes. */
export interface TenantWorld {
  orgId: string;
  owner: SignedInUser;
  assessor: SignedInUser;
  contributor: SignedInUser;
  assessmentId: string;
  /** Answered once (version 1), linked to `evidenceId`. */
  answeredQuestionId: string;
  evidenceId: string;
  uploadedEvidenceId: string;
  actionId: string;
  /** A running incident drill (corporate-laptop), the contributor taking part as IT. */
  drillId: string;
  invitationId: string;
  tokenId: string;
  /** A group the owner runs, which this organisation belongs to (docs/PRODUCT.md §16). */
  groupId: string;
}

/**
 * Builds a fresh organisation through the public API only (sign-up, profile, assessment, answer,
 * assignment, target override, external and uploaded evidence, link, action, invitation → outbox,
 * API token), so every tenant table the API can fill holds a real row. Each call builds new
 * objects: suites never share mutable fixtures.
 */
export async function buildTenantWorld(t: TestApp, label: string): Promise<TenantWorld> {
  const owner = await signUp(t);
  const orgId = orgOf(owner);
  const assessor = await addMember(t, orgId, 'assessor');
  const contributor = await addMember(t, orgId, 'contributor');
  const base = `/api/v1/orgs/${orgId}`;
  const api = as(t, owner);
  await api.put(`${base}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
  const assessmentId = (await api.post(`${base}/assessments`).send({}).expect(201)).body.id as string;
  const answeredQuestionId = 'GOV-01';
  await api.put(`${base}/assessments/${assessmentId}/answers/${answeredQuestionId}`).set('If-None-Match', '*').send({ value: 3 }).expect(200);
  await api.post(`${base}/assessments/${assessmentId}/assignments`).send({ assigneeId: contributor.me.user.id, questionIds: ['OPS-01'] }).expect(200);
  await api.put(`${base}/assessments/${assessmentId}/targets/TRN-05`).send({ target: 2, reason: `${label}: small team` }).expect(200);
  const evidenceId = (
    await api
      .post(`${base}/evidence`)
      .send({ title: `${label} policy`, kind: 'policy', externalRef: `https://${label.toLowerCase()}.example/policy`, issuedAt: '2026-01-01T00:00:00Z' })
      .expect(201)
  ).body.id as string;
  const uploadedEvidenceId = (await upload(t, owner, orgId, await buildRealPdf(`${label} hash-matching policy`), 'policy.pdf', evidenceFields()).expect(201)).body.id as string;
  await api.put(`${base}/assessments/${assessmentId}/answers/${answeredQuestionId}/evidence/${evidenceId}`).expect((r) => expect([200, 204]).toContain(r.status));
  // Downloading records an open (evidence_opens).
  await as(t, assessor).get(`${base}/evidence/${uploadedEvidenceId}/content`).expect(200);
  const actionId = (await api.post(`${base}/actions`).send({ title: `${label} action`, questionIds: [answeredQuestionId] }).expect(201)).body.id as string;
  // A drill with a decision and a note: drills, drill_participants and drill_events hold rows.
  const drillId = (await api.post(`${base}/drills`).send({ scenarioId: 'corporate-laptop', participants: [{ userId: contributor.me.user.id, roleId: 'it_security' }] }).expect(201)).body.id as string;
  await as(t, contributor).post(`${base}/drills/${drillId}/decisions`).send({ injectId: 'found', decisionId: 'escalate', decidedBy: contributor.me.user.id, response: `${label}: called the incident lead` }).expect(201);
  // A group the owner runs, which this organisation joins: joining publishes its summary (group_summaries).
  const groupId = (await api.post('/api/v1/groups').send({ name: `${label} group` }).expect(201)).body.id as string;
  await api.post(`/api/v1/groups/${groupId}/invitations`).send({ organisationId: orgId }).expect(201);
  await api.post(`${base}/groups/${groupId}/accept`).expect(200);
  // …and grants it full read (group_read_grants).
  await api.put(`${base}/groups/${groupId}/full-read`).expect(200);
  const invitation = (await api.post(`${base}/invitations`).send({ email: `invitee.${label.toLowerCase()}@example.org`, role: 'contributor' }).expect(201)).body as {
    id?: string;
    invitation?: { id: string };
  };
  const token = CreateApiTokenResponseSchema.parse((await api.post('/api/v1/auth/tokens').send({ name: `${label} automation`, scope: 'read' }).expect(201)).body);
  // The owner's private calendar address: calendar_feeds holds a row.
  await api.post(`${base}/calendar-feed`).expect(201);
  // Taking part in the peer benchmark: peer_contributions holds a row.
  await api.put(`${base}/peers/settings`).send({ optIn: true }).expect(200);
  return {
    orgId,
    owner,
    assessor,
    contributor,
    assessmentId,
    answeredQuestionId,
    evidenceId,
    uploadedEvidenceId,
    actionId,
    drillId,
    invitationId: (invitation.invitation?.id ?? invitation.id)!,
    tokenId: token.id,
    groupId,
  };
}

/**
 * Every table with an organisation_id column, read from the catalogue (so new tables are included),
 * except the group tables that name an organisation but are keyed by group_id, with per-group
 * policies instead of the tenant policy (docs/PRODUCT.md §16.2; checked in test/groups).
 */
export async function tenantTables(t: TestApp): Promise<string[]> {
  const rows = await t.ownerQuery<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
     JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
     WHERE c.table_schema = 'public' AND c.column_name = 'organisation_id' AND tb.table_type = 'BASE TABLE'
       AND c.table_name NOT IN ('group_memberships', 'group_events')
     ORDER BY 1`,
  );
  return rows.map((r) => r.table_name);
}

/**
 * A content hash of every tenant table except the audit log and its anchors (reads and refusals may be audited;
 * business data may not change). Sessions and throttle counters hold no organisation_id, so they
 * are outside the set by construction.
 */
export async function businessDataHash(t: TestApp): Promise<Record<string, string>> {
  // Anchors sign the audit chain's head, so they change with it.
  const tables = (await tenantTables(t)).filter((table) => table !== 'audit_log' && table !== 'audit_anchors');
  // One statement, one connection: this runs before and after every fuzzed route.
  const rows = await t.ownerQuery<{ t: string; digest: string | null; n: string }>(
    tables.map((table) => `SELECT '${table}' AS t, md5(string_agg(x::text, '|' ORDER BY x::text)) AS digest, count(*) AS n FROM ${table} x`).join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.digest ?? ''}`]));
}

