import type { GroupDashboard, GroupDetail, OrganisationSummary } from '@hoh/contracts';
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import { NOW } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const GROUP = '6f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b01';
const STORAGE = '7f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b02';
const FORUM = '8f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b03';
const A = '9f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b04';

const summary = (name: string, jurisdictions: ('UK' | 'US')[], band: 'red' | 'green', status: OrganisationSummary['attestation']['status']): OrganisationSummary => ({
  name,
  headline: { services: ['file_storage_sharing'], jurisdictions, described: true },
  latest: { assessmentId: A, title: '2026 review', status: status === 'signed' ? 'signed' : 'draft', periodLabel: '2026', score: band === 'red' ? 31.4 : 82, rounded: 31, band },
  signed: null,
  domains: [{ domainId: 'detection', title: 'Detection', score: band === 'red' ? 20 : 90, rounded: 20, band }],
  criticalGaps: band === 'red' ? ['HASH-01'] : [],
  attestation: { status, exceptionCount: band === 'red' ? 3 : 0 },
  overdueActions: band === 'red' ? 2 : 0,
  signedReports: [],
  trend: [{ label: '2025', score: 25, band: 'red', status: 'signed' }, { label: '2026', score: band === 'red' ? 31.4 : 82, band, status: 'draft' }],
});

const dashboard = (organisations: GroupDashboard['organisations']): GroupDashboard => ({
  group: { id: GROUP, name: 'Acme group', role: 'viewer', createdAt: NOW },
  filters: {},
  memberCount: 2,
  domains: [{ domainId: 'detection', title: 'Detection' }],
  organisations,
  sharedGaps: organisations.some((o) => o.summary?.criticalGaps.length) ? [{ questionId: 'HASH-01', organisations: 1, organisationIds: [STORAGE] }] : [],
  totals: { shown: organisations.length, signed: 0, ready: organisations.length === 2 ? 1 : 0, notReady: 1, noAssessment: 0, overdueActions: 2 },
});

const detail: GroupDetail = { id: GROUP, name: 'Acme group', role: 'viewer', createdAt: NOW, organisations: [], people: [], events: [] };

describe('the group dashboard', () => {
  it('shows a viewer the matrix in band and score, who could attest, shared gaps and trend, filters by jurisdiction, and no owner controls', async () => {
    const both = [
      { organisationId: STORAGE, joinedAt: NOW, refreshedAt: NOW, summary: summary('Acme Storage', ['UK'], 'red', 'not_ready') },
      { organisationId: FORUM, joinedAt: NOW, refreshedAt: NOW, summary: summary('Acme Forum', ['US'], 'green', 'ready') },
    ];
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET /api/v1/groups/${GROUP}`]: { status: 200, body: detail },
      [`GET /api/v1/groups/${GROUP}/reports`]: { status: 200, body: { items: [] } },
      [`GET /api/v1/groups/${GROUP}/dashboard`]: [
        { status: 200, body: dashboard(both) },
        { status: 200, body: { ...dashboard([both[1]!]), filters: { jurisdiction: 'US' } } },
      ],
    });
    renderApp(`/groups/${GROUP}`);
    const matrix = await screen.findByTestId('group-matrix');
    const storageRow = within(matrix).getByRole('row', { name: /Acme Storage/ });
    expect(storageRow.textContent).toContain('Not ready (qualified) (3 exceptions)');
    expect(storageRow.textContent).toContain('31 · Red');
    expect(storageRow.textContent).toContain('25 → 31');
    expect(within(matrix).getByRole('row', { name: /Acme Forum/ }).textContent).toContain('Ready to attest');
    expect(screen.getByTestId('group-totals').textContent).toMatch(/2 member organisations: 0 signed, 1 ready to attest, 1 could attest only with qualification/);
    expect(screen.getByTestId('group-gaps').textContent).toContain('HASH-01: 1 of 2 organisations');
    expect(screen.queryByRole('heading', { name: 'Organisations and people' })).toBeNull();

    fireEvent.change(screen.getByLabelText('Jurisdiction'), { target: { value: 'US' } });
    expect(await screen.findByText(/1 of 2 member organisations shown/)).toBeTruthy();
    expect(within(screen.getByTestId('group-matrix')).queryByRole('row', { name: /Acme Storage/ })).toBeNull();
    expect(calls.filter((c) => c.path.endsWith('/dashboard'))).toHaveLength(2);
  });
});
