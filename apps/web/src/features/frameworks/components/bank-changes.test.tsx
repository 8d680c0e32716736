import type { BankChangesResponse } from '@hoh/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aDashboard, ASSESSMENT_ID, ORG_ID } from '@/testing/fixtures';
import { aMe, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const org = `/api/v1/orgs/${ORG_ID}`;

const changes: BankChangesResponse = {
  frameworkId: 'hoh-csam',
  from: '1.1.0',
  to: '1.2.0',
  assessment: { id: ASSESSMENT_ID, title: 'CSAM controls review 2026', status: 'draft' },
  counts: { new_applies: 2, now_applies: 0, no_longer_applies: 1, criticality_changed: 1, references_corrected: 0, retired: 0, needsFreshAnswer: 2 },
  score: { before: 61.4, after: 55.2, delta: -6.2 },
  questions: [
    { questionId: 'GOV-01', text: 'Is one named senior individual accountable?', previousIds: ['GOV-01'], mapping: 'unchanged', appliesBefore: true, appliesAfter: true, criticalBefore: false, criticalAfter: true, effects: ['criticality_changed'], answer: 'carries', notes: ['GOV-01: critical where the measure applies.'] },
    { questionId: 'RA-03', text: 'Do you keep records of your risk assessment?', previousIds: ['RA-03'], mapping: 'unchanged', appliesBefore: true, appliesAfter: false, criticalBefore: false, criticalAfter: false, effects: ['no_longer_applies'], answer: 'carries', notes: [] },
    { questionId: 'HASH-07', text: 'Do you know every store that holds user content, and is each hash-scanned?', previousIds: [], mapping: 'new', appliesBefore: null, appliesAfter: true, criticalBefore: null, criticalAfter: true, effects: ['new_applies'], answer: 'needs_fresh_answer', notes: [] },
    { questionId: 'TRN-06', text: 'Was every detection in the last 12 months actioned and reported?', previousIds: [], mapping: 'new', appliesBefore: null, appliesAfter: true, criticalBefore: null, criticalAfter: false, effects: ['new_applies'], answer: 'needs_fresh_answer', notes: [] },
    { questionId: 'OPS-01', text: 'Do users have an easy way to report suspected CSAM?', previousIds: ['OPS-01'], mapping: 'unchanged', appliesBefore: true, appliesAfter: true, criticalBefore: true, criticalAfter: true, effects: [], answer: 'carries', notes: [] },
  ],
};

function onOlderBank() {
  const base = aDashboard();
  return { ...base, current: { ...base.current!, assessment: { ...base.current!.assessment, framework: { ...base.current!.assessment.framework, version: '1.1.0', next: '1.2.0' } } } };
}

describe('what a newer bank version changes for you', () => {
  it('announces a newer bank on the overview with what applies to you, and opens the comparison from it', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET ${org}/dashboard`]: { status: 200, body: onOlderBank() },
      [`GET ${org}/frameworks/hoh-csam/changes`]: { status: 200, body: changes },
    });
    renderApp('/');

    const banner = await screen.findByText('hoh-csam 1.2.0 is published: 2 questions newly apply to you, 1 criticality change.');
    fireEvent.click(within(banner.closest('.alert') as HTMLElement).getByRole('link', { name: 'See what 1.2.0 changes for you' }));

    expect(await screen.findByRole('heading', { name: 'What the new question bank changes for you' })).toBeTruthy();
    const added = screen.getByRole('heading', { name: 'New, applies to you (2)' }).closest('section') as HTMLElement;
    expect(within(added).getByText('HASH-07')).toBeTruthy();
    expect(within(added).getAllByText('Needs an answer')).toHaveLength(2);
    expect(screen.getByRole('heading', { name: 'Criticality changed (1)' })).toBeTruthy();
    expect(screen.getByText('GOV-01: critical where the measure applies.')).toBeTruthy();
    // The predicted change is the engine's, printed with its sign; unchanged questions are counted, not listed.
    expect(screen.getByText('−6.2')).toBeTruthy();
    expect(screen.getByText(/1 unchanged for you/)).toBeTruthy();
    expect(calls.filter((c) => c.path.endsWith('/changes'))).toHaveLength(1);
    // Two lazily loaded screens: on a loaded 2-core machine their first compile alone took 5 s.
  }, 15_000);

  it('says nothing on the overview when the latest assessment is on the newest bank', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET ${org}/dashboard`]: { status: 200, body: aDashboard() },
    });
    renderApp('/');
    await screen.findByRole('heading', { name: 'CSAM controls review 2026' });
    expect(screen.queryByText(/is published/)).toBeNull();
    expect(calls.some((c) => c.path.endsWith('/changes'))).toBe(false);
  });
});
