import type { PeerComparison } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aDashboard, ORG_ID } from '@/testing/fixtures';
import { aMe, stubFetch } from '@/testing/fetch-stub';
import { renderApp } from '@/testing/render-app';

const org = `/api/v1/orgs/${ORG_ID}`;
const published: PeerComparison = {
  optedIn: true,
  reason: null,
  you: { assessmentId: '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c', signedAt: '2026-11-28T10:00:00.000Z', bankVersion: '1.2', score: 64, domains: [{ domainId: 'GOV', score: 70 }] },
  cohort: {
    serviceType: 'file_storage_sharing',
    sizeBand: '*',
    jurisdictionGroup: 'UK',
    bankVersion: '1.2',
    size: 14,
    computedAt: '2026-12-01T03:00:00.000Z',
    overall: { q1: 48, median: 57, q3: 71 },
    domains: [{ domainId: 'GOV', q1: 40, median: 55, q3: 66 }],
  },
};

describe('the overview’s "You vs peers" card (docs/PRODUCT.md §16.4)', () => {
  it('shows the signed score against the finest published cohort: median, middle half, size and date, and per domain', async () => {
    stubFetch({ 'GET /api/v1/auth/me': { status: 200, body: aMe() }, [`GET ${org}/dashboard`]: { status: 200, body: aDashboard() }, [`GET ${org}/peers`]: { status: 200, body: published } });
    renderApp('/');
    const card = (await screen.findByRole('heading', { name: 'You vs peers' })).parentElement!;
    expect(await within(card).findByText(/against file storage and sharing services, in the UK: median/)).toBeTruthy();
    expect(card.textContent).toContain('middle half 48–71');
    expect(card.textContent).toMatch(/14 organisations on bank 1\.2/);
    const table = within(card).getByRole('table', { name: 'Your domain scores against peers' });
    expect(within(table).getByRole('row', { name: /GOV 70 55 40–66/ })).toBeTruthy();
  });

  it('lets an owner take part, and says why nothing is shown yet', async () => {
    const joined: PeerComparison = { optedIn: true, reason: 'no_published_cohort', you: null, cohort: null };
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET ${org}/dashboard`]: { status: 200, body: aDashboard() },
      [`PUT ${org}/peers/settings`]: { status: 200, body: joined },
    });
    renderApp('/');
    expect(await screen.findByText(/does not take part in the peer benchmark/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Take part in the peer benchmark' }));
    expect(await screen.findByText(/No cohort you belong to has enough organisations/)).toBeTruthy();
    await waitFor(() => expect(calls.find((c) => c.method === 'PUT')?.init?.body).toBe(JSON.stringify({ optIn: true })));
    expect(screen.getByRole('button', { name: 'Leave the peer benchmark' })).toBeTruthy();
  });
});
