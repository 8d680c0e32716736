import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { STATUS_LABELS } from '@/config/vocabulary';
import { aMe, stubFetch } from '@/testing/fetch-stub';
import { aMember, anAssessment, aScore, ASSESSMENT_ID, framework, ME_ID, ORG_ID, summaryOf } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const org = `/api/v1/orgs/${ORG_ID}`;
const signature = { statement: 'I confirm.', acknowledged: [], exceptions: [], unqualified: true, signerId: ME_ID, signerName: 'Alex Morgan', signerRole: 'owner', signedAt: '2026-11-28T10:00:00.000Z' };

function routes(assessment: ReturnType<typeof anAssessment>) {
  return {
    'GET /api/v1/auth/me': { status: 200, body: aMe() },
    [`GET ${org}/assessments`]: { status: 200, body: { items: [summaryOf(assessment)], nextCursor: null } },
    [`GET ${org}/assessments/${ASSESSMENT_ID}`]: { status: 200, body: assessment },
    [`GET ${org}/assessments/${ASSESSMENT_ID}/score`]: { status: 200, body: aScore() },
    [`GET /api/v1/frameworks/${framework.id}/versions/${framework.version}`]: { status: 200, body: framework },
    [`GET ${org}/members`]: { status: 200, body: { items: [aMember()], nextCursor: null } },
  };
}

describe('questionnaire wording (issue 24)', { timeout: 20_000 }, () => {
  it('a signed questionnaire says it is signed and read-only, and promises no autosave', async () => {
    stubFetch(routes(anAssessment({ status: 'signed', signature })));
    renderApp('/questionnaire');
    expect(await screen.findByText(/Signed off: read-only, nothing here can change/)).toBeTruthy();
    expect(screen.queryByText(/Answers save as you go/)).toBeNull();
  });

  it('a draft still says answers save as you go', async () => {
    stubFetch(routes(anAssessment()));
    renderApp('/questionnaire');
    expect(await screen.findByText(/Answers save as you go/)).toBeTruthy();
    // The bank version it is answered on is named with it (issue 23: the version everywhere it matters).
    expect(screen.getByText(/Answers save as you go; .* Question bank hoh-csam \d+\.\d+\.\d+\./)).toBeTruthy();
  });

  it('status words hold no parentheses, so "(Signed off (locked))" cannot be printed', () => {
    for (const label of Object.values(STATUS_LABELS)) expect(label).not.toMatch(/[()]/);
  });
});
