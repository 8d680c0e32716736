import type { DashboardResponse, Membership } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aDashboard, anAssessment, aScore, ASSESSMENT_ID, framework, OTHER_ID, ORG_ID, summaryOf, aMember, aProfileResponse } from '@/testing/fixtures';
import { aMe, stubFetch } from '@/testing/fetch-stub';
import type { Routes } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const org = `/api/v1/orgs/${ORG_ID}`;
const y2026 = { start: '2026-01-01', end: '2026-12-31', label: '2026' };
const y2027 = { start: '2027-01-01', end: '2027-12-31', label: '2027' };

const signed2026 = anAssessment({ id: OTHER_ID, title: 'CSAM controls review 2026', status: 'signed', period: y2026, signedAt: '2026-11-28T10:00:00.000Z' });
const draft2027 = anAssessment({ id: ASSESSMENT_ID, title: 'CSAM controls review 2027', status: 'draft', period: y2027, fromAssessmentId: OTHER_ID });

function api(role: Membership['role'] = 'owner', extra: Routes = {}): Routes {
  const base = aMe();
  return {
    'GET /api/v1/auth/me': { status: 200, body: { ...base, memberships: [{ ...base.memberships[0]!, role, accountableIndividual: true }] } },
    // Newest first, as the API lists them.
    [`GET ${org}/assessments`]: { status: 200, body: { items: [summaryOf(draft2027), summaryOf(signed2026)], nextCursor: null } },
    [`GET ${org}/assessments/${ASSESSMENT_ID}`]: { status: 200, body: draft2027 },
    [`GET ${org}/assessments/${OTHER_ID}`]: { status: 200, body: signed2026 },
    [`GET ${org}/assessments/${ASSESSMENT_ID}/score`]: { status: 200, body: aScore() },
    [`GET ${org}/assessments/${OTHER_ID}/score`]: { status: 200, body: aScore() },
    [`GET /api/v1/frameworks/${framework.id}/versions/${framework.version}`]: { status: 200, body: framework },
    [`GET ${org}/members`]: { status: 200, body: { items: [aMember()], nextCursor: null } },
    [`GET ${org}/profile`]: { status: 200, body: aProfileResponse() },
    [`GET ${org}/reports`]: { status: 200, body: { items: [], nextCursor: null } },
    ...extra,
  };
}

function dashboardWith(comparison: NonNullable<DashboardResponse['current']>['comparison'], status: 'draft' | 'in_review' | 'signed' = 'draft'): DashboardResponse {
  const base = aDashboard();
  return {
    ...base,
    current: { ...base.current!, assessment: { ...base.current!.assessment, title: 'CSAM controls review 2027', status, period: y2027 }, comparison },
    trend: [
      { assessmentId: OTHER_ID, title: 'CSAM controls review 2026', status: 'signed', period: y2026, label: '2026', createdAt: '2026-01-05T09:00:00.000Z', signedAt: '2026-11-28T10:00:00.000Z', score: 40, band: 'red', change: null, bankVersion: '1.2.0', bankChange: null },
      {
        assessmentId: ASSESSMENT_ID,
        title: 'CSAM controls review 2027',
        status,
        period: y2027,
        label: '2027',
        createdAt: '2026-12-01T09:00:00.000Z',
        signedAt: null,
        score: 38,
        band: 'red',
        change: { before: 40, after: 38, delta: -2, direction: 'review_reset' },
        bankVersion: '1.2.0',
        bankChange: null,
      },
    ],
  };
}

const comparison = {
  previous: { id: OTHER_ID, title: 'CSAM controls review 2026', status: 'signed' as const, period: y2026 },
  sameBank: true,
  overall: { before: 40, after: 38, delta: -2, direction: 'review_reset' as const, reviewResetQuestionIds: ['GOV-05'] },
  domains: [
    { domainId: 'GOV', title: 'Governance and accountability', before: 50, after: 40, delta: -10, direction: 'review_reset' as const, changedQuestionIds: [], reviewResetQuestionIds: ['GOV-05'] },
    { domainId: 'RA', title: 'Risk assessment and applicability', before: 30.2, after: 29.9, delta: 0, direction: 'unchanged' as const, changedQuestionIds: ['RA-01'], reviewResetQuestionIds: [] },
  ],
};

describe('assessment picker', () => {
  it('lists every assessment by period, newest first, and switches the questionnaire to the one picked', async () => {
    stubFetch(api());
    const { router } = renderApp('/questionnaire');
    const picker = await screen.findByRole('combobox', { name: 'Assessment' });
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'CSAM controls review 2027 · 2027 · Draft',
      'CSAM controls review 2026 · 2026 · Signed and locked',
    ]);
    expect((picker as HTMLSelectElement).value).toBe(ASSESSMENT_ID);
    fireEvent.change(picker, { target: { value: OTHER_ID } });
    await waitFor(() => expect(router.state.location.search).toBe(`?assessment=${OTHER_ID}`));
    expect(await screen.findByText(/CSAM controls review 2026\. Signed off/)).toBeTruthy();
    // The questionnaire renders the whole current bank (65 questions) twice in jsdom.
  }, 15_000);

  it('is on the review and reports screens too, and the reports page issues for the one picked', async () => {
    stubFetch(api());
    const review = renderApp(`/review?assessment=${OTHER_ID}`);
    expect((await screen.findByRole<HTMLSelectElement>('combobox', { name: 'Assessment' })).value).toBe(OTHER_ID);
    review.unmount();
    renderApp(`/reports?assessment=${OTHER_ID}`);
    const picker = await screen.findByRole('combobox', { name: 'Assessment' });
    expect((picker as HTMLSelectElement).value).toBe(OTHER_ID);
    expect(await screen.findByText(/issuing it again gives a new signed report of the same result/)).toBeTruthy();
    expect(screen.getByText('CSAM controls review 2026', { selector: 'strong' })).toBeTruthy();
  });
});

describe('trend and comparisons', () => {
  it('labels the trend axis by period (2026, 2027), links each row to its assessment and says a reset review is not a deterioration', async () => {
    stubFetch(api('owner', { [`GET ${org}/dashboard`]: { status: 200, body: dashboardWith(comparison) } }));
    renderApp('/');
    const table = await screen.findByRole('table', { name: 'Score trend, oldest first' });
    const svg = screen.getByRole('img', { name: /Score trend/ });
    expect(Array.from(svg.querySelectorAll('text.trend__axis')).map((t) => t.textContent).filter((t) => /^\d{4}/.test(t ?? ''))).toEqual(['2026', '2027']);
    expect(within(table).getByRole('link', { name: 'CSAM controls review 2026' }).getAttribute('href')).toBe(`/review?assessment=${OTHER_ID}`);
    expect(within(table).getByText('Review reset (answers unchanged) (−2)')).toBeTruthy();
    expect(within(table).queryByText(/Deteriorated/)).toBeNull();
  });

  it('shows the engine’s per-domain labels: a change of 0 reads Unchanged, never Improved; a reset names its questions', async () => {
    stubFetch(api('owner', { [`GET ${org}/dashboard`]: { status: 200, body: dashboardWith(comparison) } }));
    renderApp('/');
    const changes = await screen.findByRole('table', { name: /Domain changes since CSAM controls review 2026/ });
    const ra = within(changes).getByRole('row', { name: /RA Risk assessment/ });
    expect(within(ra).getByText('Unchanged')).toBeTruthy();
    expect(within(changes).queryByText(/Improved/)).toBeNull();
    const gov = within(changes).getByRole('row', { name: /GOV Governance/ });
    expect(gov.textContent).toContain('Review reset (answers unchanged) (−10)');
    expect(gov.textContent).toContain('GOV-05');
    expect(screen.getByText(/That is not a change in your controls/)).toBeTruthy();
  });

  it('offers next year’s review only from a submitted or signed assessment, named for the year after', async () => {
    stubFetch(api('owner', { [`GET ${org}/dashboard`]: { status: 200, body: dashboardWith(null, 'draft') } }));
    const first = renderApp('/');
    expect(await screen.findByText(/Next year's review starts from a submitted or signed assessment/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: "Start next year's review" })).toBeNull();
    first.unmount();

    const { calls } = stubFetch(
      api('owner', {
        [`GET ${org}/dashboard`]: { status: 200, body: dashboardWith(null, 'signed') },
        [`POST ${org}/assessments`]: { status: 201, body: anAssessment({ id: OTHER_ID, title: 'CSAM controls review 2028', period: { start: '2028-01-01', end: '2028-12-31', label: '2028' } }) },
      }),
    );
    renderApp('/');
    const name = await screen.findByRole<HTMLInputElement>('textbox', { name: 'Name' });
    expect(name.value).toBe('CSAM controls review 2028');
    expect(screen.getByLabelText<HTMLInputElement>('Period starts').value).toBe('2028-01-01');
    fireEvent.click(screen.getByRole('button', { name: "Start next year's review" }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(post.init?.body as string)).toEqual({ fromAssessmentId: ASSESSMENT_ID, title: 'CSAM controls review 2028', period: { start: '2028-01-01', end: '2028-12-31' } });
  });
});
