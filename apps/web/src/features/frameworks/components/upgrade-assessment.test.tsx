import type { BankChangesResponse } from '@hoh/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { anAssessment, ASSESSMENT_ID, ORG_ID } from '@/testing/fixtures';
import { aMe, anEnvelope, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const org = `/api/v1/orgs/${ORG_ID}`;
const screenUrl = '/question-bank/changes?framework=hoh-csam&from=1.1.0&to=1.2.0';

const changes = (status: 'draft' | 'in_review' | 'signed'): BankChangesResponse => ({
  frameworkId: 'hoh-csam',
  from: '1.1.0',
  to: '1.2.0',
  assessment: { id: ASSESSMENT_ID, title: 'CSAM controls review 2026', status },
  counts: {
    new_applies: 1,
    now_applies: 0,
    no_longer_applies: 0,
    criticality_changed: 0,
    references_corrected: 0,
    retired: 0,
    needsFreshAnswer: 1,
  },
  score: { before: 40, after: 38, delta: -2 },
  questions: [
    {
      questionId: 'TRN-06',
      text: 'Was every detection actioned and reported?',
      previousIds: [],
      mapping: 'new',
      appliesBefore: null,
      appliesAfter: true,
      criticalBefore: null,
      criticalAfter: false,
      effects: ['new_applies'],
      answer: 'needs_fresh_answer',
      notes: [],
    },
  ],
});

describe('upgrading an assessment from the comparison screen', () => {
  it('sends If-Match from the assessment’s ETag, says in words why a stale upgrade was refused, and succeeds with the fresh ETag', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET ${org}/frameworks/hoh-csam/changes`]: { status: 200, body: changes('in_review') },
      [`GET ${org}/assessments/${ASSESSMENT_ID}`]: [
        { status: 200, body: anAssessment({ framework: { id: 'hoh-csam', version: '1.1.0' } }), headers: { ETag: '"41"' } },
        { status: 200, body: anAssessment({ framework: { id: 'hoh-csam', version: '1.1.0' } }), headers: { ETag: '"42"' } },
      ],
      [`POST ${org}/assessments/${ASSESSMENT_ID}/upgrade`]: [
        {
          status: 412,
          body: anEnvelope(
            'PRECONDITION_FAILED',
            'The assessment changed since you read it (an answer, evidence link or target). Review it (in `current`) and upgrade again with its new ETag.',
          ),
        },
        { status: 200, body: anAssessment({ framework: { id: 'hoh-csam', version: '1.2.0' } }) },
      ],
    });
    renderApp(screenUrl);

    const button = await screen.findByRole('button', { name: 'Upgrade to 1.2.0' });
    await screen.findByRole('heading', { name: 'Move “CSAM controls review 2026” to 1.2.0' });
    await waitForEnabled(button);
    fireEvent.click(button);
    expect(await screen.findByText(/The assessment changed since you read it/)).toBeTruthy();
    const posts = () => calls.filter((c) => c.method === 'POST' && c.path.endsWith('/upgrade'));
    expect(posts()[0]!.init?.headers).toMatchObject({ 'If-Match': '"41"' });
    expect(JSON.parse(posts()[0]!.init?.body as string)).toEqual({ to: '1.2.0' });

    // The stale refusal read the ETag again; the second try sends it.
    await waitFor(() => expect(calls.filter((c) => c.method === 'GET' && c.path.endsWith(ASSESSMENT_ID)).length).toBeGreaterThanOrEqual(2));
    await waitForEnabled(screen.getByRole('button', { name: 'Upgrade to 1.2.0' }));
    fireEvent.click(screen.getByRole('button', { name: 'Upgrade to 1.2.0' }));
    expect(await screen.findByText('“CSAM controls review 2026” is now on hoh-csam 1.2.0.')).toBeTruthy();
    expect(posts()[1]!.init?.headers).toMatchObject({ 'If-Match': '"42"' });
  }, 15_000);

  it('offers no upgrade of a signed assessment, nor to a contributor', async () => {
    for (const [status, role] of [
      ['signed', 'owner'],
      ['draft', 'contributor'],
    ] as const) {
      const me = aMe();
      const { calls } = stubFetch({
        'GET /api/v1/auth/me': {
          status: 200,
          body: { ...me, memberships: [{ ...me.memberships[0]!, role, accountableIndividual: false }] },
        },
        [`GET ${org}/frameworks/hoh-csam/changes`]: { status: 200, body: changes(status) },
      });
      const { unmount } = renderApp(screenUrl);
      await screen.findByText('TRN-06');
      expect(screen.queryByRole('button', { name: /Upgrade to/ })).toBeNull();
      expect(calls.some((c) => c.path.endsWith(ASSESSMENT_ID))).toBe(false);
      unmount();
    }
  }, 15_000);
});

const waitForEnabled = (button: HTMLElement) => waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
