import { randomUUID } from 'node:crypto';

import type { Role } from '@hoh/contracts';
import { getCurrentFramework } from '@hoh/question-bank';

import { as } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import type { TestApp } from '../support/test-app.js';

/** A new person who joins `organisationId` with `role` (written as the owner: invitations are another slice). */
export async function memberWithRole(t: TestApp, organisationId: string, role: Role): Promise<SignedInUser> {
  const user = await signUp(t);
  await t.ownerQuery(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, $3)`, [organisationId, user.me.user.id, role]);
  return user;
}

/** An assessment row on the current question bank, inserted directly so these tests do not depend on the assessments API. */
export async function insertAssessment(t: TestApp, organisationId: string, createdBy: string, status: 'draft' | 'in_review' | 'signed' = 'draft'): Promise<{ id: string; questionId: string }> {
  const framework = getCurrentFramework();
  const id = randomUUID();
  await t.ownerQuery(
    `INSERT INTO assessments (organisation_id, id, title, framework_id, framework_version, created_by, status) VALUES ($1, $2, 'Annual review', $3, $4, $5, $6)`,
    [organisationId, id, framework.id, framework.version, createdBy, status],
  );
  return { id, questionId: framework.questions[0]!.id };
}

export const evidenceFields = (patch: Record<string, string> = {}) => ({ title: 'Hash-matching policy v3', kind: 'policy', issuedAt: '2026-01-15T00:00:00Z', ...patch });

/** POST a multipart upload as `user`. */
export function upload(t: TestApp, user: SignedInUser, orgId: string, bytes: Buffer, fileName: string, fields: Record<string, string> = evidenceFields()) {
  let req = as(t, user).post(`/api/v1/orgs/${orgId}/evidence`);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('file', bytes, fileName);
}
