import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ExcelJS from 'exceljs';
import pg from 'pg';
import { extractText, getDocumentProxy } from 'unpdf';

import {
  type AuditLogPage,
  type GroupDetail,
  type GroupMemberAnswers,
  type GroupMemberEvidence,
  type GroupReport,
  GroupReportSchema,
  type OrganisationGroups,
  type Report,
  ReportPublicKeySchema,
  ReportSchema,
} from '@hoh/contracts';
import { canonicalJson } from '@hoh/question-bank';

import { evidenceFields, upload } from '../factories/evidence.factory.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { addMember } from '../support/members.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp, signUpConfirmed } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const binary = (res: { on: (e: string, cb: (c?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
async function pdfText(bytes: Buffer): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

/**
 * Full-read grants and the group board report (docs/PRODUCT.md §16.5–16.6): an organisation's owner
 * opens its answers, evidence list and latest report to a group, read only, and the database ends
 * that the moment the grant is revoked or the organisation leaves; the group's report is signed,
 * names its members' signed reports and verifies publicly as a group report.
 */
describe('group full read and the group board report (docs/PRODUCT.md §16.5–16.6)', () => {
  let t: TestApp;
  let groupOwner: SignedInUser;
  let viewer: SignedInUser;
  let appOwner: SignedInUser;
  let appOrg: string;
  let forumOwner: SignedInUser;
  let forumOrg: string;
  let otherOwner: SignedInUser;
  let groupId: string;
  let otherGroupId: string;
  let appReport: Report;
  let groupReport: GroupReport;
  let groupPdf: Buffer;

  const download = (user: SignedInUser, url: string) => as(t, user).get(url).buffer(true).parse(binary);
  const member = (path: string) => `/api/v1/groups/${groupId}/organisations/${appOrg}/${path}`;
  const waitReady = async <T extends { status: string }>(read: () => Promise<T>): Promise<T> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (value.status === 'ready' || value.status === 'failed') return value;
      if (Date.now() > deadline) throw new Error(`still ${value.status} after 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** hoh_app as a person acting in groups (no tenant), as a group request runs: raw SQL, no API in between. */
  const asGroupCaller = async <R extends pg.QueryResultRow>(userId: string, sql: string, params: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: t.db.appUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', '', true), set_config('app.user_id', $1, true)`, [userId]);
      const rows = (await client.query<R>(sql, params)).rows;
      await client.query('ROLLBACK');
      return rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: process.env.GROUPS_LOG ?? 'silent' });
    [groupOwner, viewer, appOwner, forumOwner, otherOwner] = await Promise.all([signUp(t), signUpConfirmed(t), signUp(t), signUp(t), signUp(t)]);
    appOrg = orgOf(appOwner);
    forumOrg = orgOf(forumOwner);

    // The app: a signed assessment with an issued report and one piece of evidence.
    const base = `/api/v1/orgs/${appOrg}/assessments`;
    await as(t, appOwner).put(`/api/v1/orgs/${appOrg}/profile`).send(ProfileFactory.ukFileSharing()).expect(200);
    const assessor = await addMember(t, appOrg, 'assessor');
    const a = (await as(t, appOwner).post(base).send({ title: 'App review 2026' }).expect(201)).body as { id: string };
    await as(t, appOwner).put(`${base}/${a.id}/answers/GOV-01`).set('If-None-Match', '*').send({ value: 3, comment: 'Named executive in the board minutes' }).expect(200);
    await as(t, appOwner).put(`${base}/${a.id}/answers/GOV-02`).set('If-None-Match', '*').send({ value: 2 }).expect(200);
    await upload(t, appOwner, appOrg, Buffer.from('Board minutes.\n'), 'minutes.txt', evidenceFields({ title: 'Board minutes 2026' })).expect(201);
    await as(t, appOwner).post(`${base}/${a.id}/submit`).expect(200);
    await as(t, assessor)
      .post(`${base}/${a.id}/reviews`)
      .send({ items: [{ questionId: 'GOV-01', decision: 'approve' }, { questionId: 'GOV-02', decision: 'approve' }] })
      .expect(200);
    const check = (await as(t, appOwner).get(`${base}/${a.id}/attestation-check`).expect(200)).body as { statement: string; exceptions: { id: string }[] };
    await as(t, appOwner)
      .post(`${base}/${a.id}/sign-off`)
      .send({ statement: check.statement, acknowledged: check.exceptions.map((e) => e.id), reauth: { password: appOwner.credentials.password } })
      .expect(200);
    const queued = await as(t, appOwner).post(`${base}/${a.id}/reports`).expect(202);
    appReport = await waitReady(async () => ReportSchema.parse((await as(t, appOwner).get(String(queued.headers['location'])).expect(200)).body));
    expect(appReport.status).toBe('ready');

    // The forum: a draft only.
    await as(t, forumOwner).put(`/api/v1/orgs/${forumOrg}/profile`).send(ProfileFactory.ukFileSharing({ services: ['user_to_user'], jurisdictions: ['US'] })).expect(200);
    const f = (await as(t, forumOwner).post(`/api/v1/orgs/${forumOrg}/assessments`).send({}).expect(201)).body as { id: string };
    await as(t, forumOwner).put(`/api/v1/orgs/${forumOrg}/assessments/${f.id}/answers/HASH-01`).set('If-None-Match', '*').send({ value: 1 }).expect(200);

    groupId = (await as(t, groupOwner).post('/api/v1/groups').send({ name: 'Acme holdings' }).expect(201)).body.id as string;
    for (const [owner, org] of [
      [appOwner, appOrg],
      [forumOwner, forumOrg],
    ] as const) {
      await as(t, groupOwner).post(`/api/v1/groups/${groupId}/invitations`).send({ organisationId: org }).expect(201);
      await as(t, owner).post(`/api/v1/orgs/${org}/groups/${groupId}/accept`).expect(200);
    }
    await as(t, groupOwner).post(`/api/v1/groups/${groupId}/viewers`).send({ email: viewer.credentials.email }).expect(201);
    // Another group, whose owner is in no way part of Acme's.
    otherGroupId = (await as(t, otherOwner).post('/api/v1/groups').send({ name: 'Other group' }).expect(201)).body.id as string;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('without a grant, a group sees no answers, evidence or report of a member (404), and only the organisation’s owner may grant', async () => {
    for (const path of ['answers', 'evidence', 'report.pdf']) await as(t, groupOwner).get(member(path)).expect(404);
    const auditor = await addMember(t, appOrg, 'auditor');
    await as(t, auditor).put(`/api/v1/orgs/${appOrg}/groups/${groupId}/full-read`).expect(403);
    await as(t, otherOwner).put(`/api/v1/orgs/${orgOf(otherOwner)}/groups/${groupId}/full-read`).expect(404);
    await as(t, appOwner).put(`/api/v1/orgs/${appOrg}/groups/${groupId}/full-read`).send({ extra: true }).expect(400);
  });

  it('with a grant, the group’s owner and viewer read the latest answers, the evidence list and the latest report; another group still gets 404', async () => {
    const granted = (await as(t, appOwner).put(`/api/v1/orgs/${appOrg}/groups/${groupId}/full-read`).expect(200)).body as OrganisationGroups;
    expect(granted.groups).toEqual([expect.objectContaining({ groupId, fullRead: true })]);

    const answers = (await as(t, viewer).get(member('answers')).expect(200)).body as GroupMemberAnswers;
    expect(answers.assessment).toMatchObject({ title: 'App review 2026', status: 'signed' });
    expect(answers.answers).toEqual(expect.arrayContaining([expect.objectContaining({ questionId: 'GOV-01', value: '3', comment: 'Named executive in the board minutes' })]));
    const evidence = (await as(t, groupOwner).get(member('evidence')).expect(200)).body as GroupMemberEvidence;
    expect(evidence.items.map((e) => e.title)).toEqual(['Board minutes 2026']);
    const pdf = await download(viewer, member('report.pdf')).expect(200);
    expect(pdf.headers['x-report-id']).toBe(appReport.id);
    expect(sha256(pdf.body as Buffer)).toBe(appReport.pdfSha256);

    // Not the forum, which granted nothing; not to another group's owner, nor through its group.
    await as(t, groupOwner).get(`/api/v1/groups/${groupId}/organisations/${forumOrg}/answers`).expect(404);
    await as(t, otherOwner).get(member('answers')).expect(404);
    await as(t, otherOwner).get(`/api/v1/groups/${otherGroupId}/organisations/${appOrg}/answers`).expect(404);

    // In the database: the read functions answer nothing to a person outside the group.
    expect(await asGroupCaller(otherOwner.me.user.id, 'SELECT * FROM hoh_group_member_answers($1, $2)', [groupId, appOrg])).toEqual([]);
    expect(await asGroupCaller(otherOwner.me.user.id, 'SELECT id FROM hoh_group_member_evidence($1, $2)', [groupId, appOrg])).toEqual([]);
    expect(await asGroupCaller(viewer.me.user.id, 'SELECT question_id FROM answers')).toEqual([]);

    // Both sides record it.
    const log = (await as(t, appOwner).get(`/api/v1/orgs/${appOrg}/audit-log?entityType=group`).expect(200)).body as AuditLogPage;
    expect(log.items.map((e) => e.action)).toContain('group.full_read_granted');
    const detail = (await as(t, groupOwner).get(`/api/v1/groups/${groupId}`).expect(200)).body as GroupDetail;
    expect(detail.events.map((e) => e.action)).toContain('group.full_read_granted');
  });

  it('generates a signed group report (owner only) naming the group and each member’s signed report, rendered by the worker', async () => {
    await as(t, viewer).post(`/api/v1/groups/${groupId}/reports`).expect(403);
    await as(t, groupOwner).post(`/api/v1/groups/${groupId}/reports`).send({ title: 'x' }).expect(400);
    const queued = await as(t, groupOwner).post(`/api/v1/groups/${groupId}/reports`).expect(202);
    expect(queued.headers['location']).toBe(`/api/v1/groups/${groupId}/reports/${queued.body.id}`);
    groupReport = await waitReady(async () => GroupReportSchema.parse((await as(t, viewer).get(String(queued.headers['location'])).expect(200)).body));
    expect(groupReport).toMatchObject({ status: 'ready', groupId });

    const manifest = groupReport.manifest!;
    expect(manifest).toMatchObject({ reportId: groupReport.id, groupId, pdfSha256: groupReport.pdfSha256 });
    expect(manifest.memberReports).toEqual([{ organisationId: appOrg, reportId: appReport.id, pdfSha256: appReport.pdfSha256 }]);
    const key = ReportPublicKeySchema.parse((await t.http().get('/api/v1/reports/public-key').expect(200)).body);
    expect(verify(null, Buffer.from(canonicalJson(manifest)), createPublicKey(key.pem), Buffer.from(groupReport.signature!, 'base64url'))).toBe(true);

    const pdf = await download(viewer, `/api/v1/groups/${groupId}/reports/${groupReport.id}/pdf`).expect(200);
    groupPdf = pdf.body as Buffer;
    expect(sha256(groupPdf)).toBe(groupReport.pdfSha256);
    const text = await pdfText(groupPdf);
    const appName = appOwner.me.memberships[0]!.organisationName;
    expect(text).toContain('Acme holdings');
    expect(text).toContain('1 of 2 member organisations could attest today');
    expect(text).toContain(appName);
    expect(text).toContain(forumOwner.me.memberships[0]!.organisationName);
    expect(text).toContain(appReport.pdfSha256!.slice(0, 32));
    expect(text).not.toContain('Named executive in the board minutes');

    // The editable workbook comes from the stored model and names the signed PDF.
    const xlsx = await download(viewer, `/api/v1/groups/${groupId}/reports/${groupReport.id}/report.xlsx`).expect(200);
    const workbook = new ExcelJS.Workbook();
    const bytes = xlsx.body as Buffer;
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['About', 'Matrix', 'Members', 'Shared gaps']);
    expect(workbook.getWorksheet('About')!.getCell('B2').text).toContain(groupReport.pdfSha256);
    const members = workbook.getWorksheet('Members')!;
    expect(members.getColumn(1).values).toEqual(expect.arrayContaining([appName]));
    expect(members.getColumn(10).values).toEqual(expect.arrayContaining([appReport.pdfSha256]));

    const probe = spawnSync('qpdf', ['--version']);
    if (probe.error) {
      if (process.env['CI'] === 'true') throw new Error('qpdf is not installed; CI must install it.');
      console.warn('SKIPPED: qpdf is not installed, so the structural check did not run.');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'hoh-group-report-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), groupPdf);
      const checked = spawnSync('qpdf', ['--check', join(dir, 'r.pdf')], { encoding: 'utf8' });
      expect({ status: checked.status, stderr: checked.stderr }).toEqual({ status: 0, stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verifies publicly as a group report of the group, by upload and by id and results hash; one changed byte is not recognised', async () => {
    const byFile = await t.http().post('/api/v1/reports/verify').attach('file', groupPdf, { filename: 'r.pdf', contentType: 'application/pdf' }).expect(200);
    expect(byFile.body).toEqual({ genuine: true, kind: 'group', reportId: groupReport.id, organisation: 'group report of Acme holdings', group: 'Acme holdings', issuedAt: groupReport.issuedAt });
    const byId = await t.http().post('/api/v1/reports/verify').send({ reportId: groupReport.id, resultsSha256: groupReport.resultsSha256 }).expect(200);
    expect(byId.body).toMatchObject({ genuine: true, kind: 'group', pdfSha256: groupReport.pdfSha256 });
    const changed = Buffer.from(groupPdf);
    changed.writeUInt8(changed.readUInt8(changed.length - 10) ^ 1, changed.length - 10);
    expect((await t.http().post('/api/v1/reports/verify').send({ sha256: sha256(changed) }).expect(200)).body).toEqual({ genuine: false });
    // An organisation's report still verifies as before.
    expect((await t.http().post('/api/v1/reports/verify').send({ sha256: appReport.pdfSha256 }).expect(200)).body).toMatchObject({ genuine: true, reportId: appReport.id });
  });

  it('hides the group’s reports from anyone outside it (404), in the API and in the database', async () => {
    await as(t, otherOwner).get(`/api/v1/groups/${groupId}/reports`).expect(404);
    await as(t, otherOwner).get(`/api/v1/groups/${groupId}/reports/${groupReport.id}`).expect(404);
    await as(t, otherOwner).get(`/api/v1/groups/${groupId}/reports/${groupReport.id}/pdf`).expect(404);
    await as(t, otherOwner).get(`/api/v1/groups/${otherGroupId}/reports/${groupReport.id}`).expect(404);
    await as(t, otherOwner).get(`/api/v1/groups/${groupId}/reports/not-a-uuid`).expect(404);
    expect(await asGroupCaller(otherOwner.me.user.id, 'SELECT id FROM group_reports')).toEqual([]);
    expect(await asGroupCaller(otherOwner.me.user.id, 'SELECT report_id FROM group_report_registry')).toEqual([]);
    expect((await as(t, groupOwner).get(`/api/v1/groups/${groupId}/reports`).expect(200)).body.items).toEqual([expect.objectContaining({ id: groupReport.id })]);
  });

  it('ends full read at once on revoke, and on leaving; a grant does not survive leaving and rejoining', async () => {
    await as(t, appOwner).delete(`/api/v1/orgs/${appOrg}/groups/${groupId}/full-read`).expect(204);
    await as(t, viewer).get(member('answers')).expect(404);
    await as(t, appOwner).delete(`/api/v1/orgs/${appOrg}/groups/${groupId}/full-read`).expect(404);
    const log = (await as(t, appOwner).get(`/api/v1/orgs/${appOrg}/audit-log?entityType=group`).expect(200)).body as AuditLogPage;
    expect(log.items.map((e) => e.action)).toContain('group.full_read_revoked');

    await as(t, appOwner).put(`/api/v1/orgs/${appOrg}/groups/${groupId}/full-read`).expect(200);
    await as(t, viewer).get(member('evidence')).expect(200);
    await as(t, appOwner).delete(`/api/v1/orgs/${appOrg}/groups/${groupId}`).expect(204);
    for (const path of ['answers', 'evidence', 'report.pdf']) await as(t, viewer).get(member(path)).expect(404);

    await as(t, groupOwner).post(`/api/v1/groups/${groupId}/invitations`).send({ organisationId: appOrg }).expect(201);
    const rejoined = (await as(t, appOwner).post(`/api/v1/orgs/${appOrg}/groups/${groupId}/accept`).expect(200)).body as OrganisationGroups;
    expect(rejoined.groups).toEqual([expect.objectContaining({ groupId, status: 'member', fullRead: false })]);
    await as(t, groupOwner).get(member('answers')).expect(404);
  });
});
