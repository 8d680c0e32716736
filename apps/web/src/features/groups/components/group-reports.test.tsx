import type { GroupDashboard, GroupDetail, GroupReport, OrganisationGroups } from '@hoh/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import { NOW, ORG_ID } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const GROUP = '6f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b01';
const REPORT = '7f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b05';
const HASH = 'a'.repeat(64);

const dashboard: GroupDashboard = {
  group: { id: GROUP, name: 'Acme group', role: 'owner', createdAt: NOW },
  filters: {},
  memberCount: 0,
  domains: [],
  organisations: [],
  sharedGaps: [],
  totals: { shown: 0, signed: 0, ready: 0, notReady: 0, noAssessment: 0, overdueActions: 0 },
};
const detail: GroupDetail = { id: GROUP, name: 'Acme group', role: 'owner', createdAt: NOW, organisations: [], people: [], events: [] };
const queued: GroupReport = { id: REPORT, groupId: GROUP, status: 'queued', requestedAt: NOW, requestedBy: aMe().user.id };
const ready: GroupReport = { ...queued, status: 'ready', issuedAt: NOW, pdfSha256: HASH, resultsSha256: HASH };

describe('group board reports and full-read grants (docs/PRODUCT.md §16.5–16.6)', () => {
  it('lets the group’s owner generate a group report and download it once the worker has rendered it', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET /api/v1/groups/${GROUP}`]: { status: 200, body: detail },
      [`GET /api/v1/groups/${GROUP}/dashboard`]: { status: 200, body: dashboard },
      [`GET /api/v1/groups/${GROUP}/reports`]: [{ status: 200, body: { items: [] } }, { status: 200, body: { items: [ready] } }],
      [`POST /api/v1/groups/${GROUP}/reports`]: { status: 202, body: queued },
    });
    renderApp(`/groups/${GROUP}`);
    fireEvent.click(await screen.findByRole('button', { name: 'Generate group report' }));
    const link = await screen.findByRole('link', { name: 'Download the PDF' }, { timeout: 5000 });
    expect(link.getAttribute('href')).toBe(`/api/v1/groups/${GROUP}/reports/${REPORT}/pdf`);
    expect(screen.getByTestId('group-reports').textContent).toContain(HASH);
    expect(calls.filter((c) => c.method === 'POST' && c.path.endsWith('/reports'))).toHaveLength(1);
  });

  it('offers a viewer the downloads but not the generate button', async () => {
    stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET /api/v1/groups/${GROUP}`]: { status: 200, body: { ...detail, role: 'viewer' } },
      [`GET /api/v1/groups/${GROUP}/dashboard`]: { status: 200, body: { ...dashboard, group: { ...dashboard.group, role: 'viewer' } } },
      [`GET /api/v1/groups/${GROUP}/reports`]: { status: 200, body: { items: [ready] } },
    });
    renderApp(`/groups/${GROUP}`);
    expect(await screen.findByRole('link', { name: 'Download the PDF' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Generate group report' })).toBeNull();
  });

  it('lets the organisation’s owner grant a group full read and revoke it from the Groups page', async () => {
    const member = { groupId: GROUP, name: 'Acme group', status: 'member' as const, invitedAt: NOW, joinedAt: NOW };
    const without: OrganisationGroups = { groups: [{ ...member, fullRead: false }], summaryRefreshedAt: NOW };
    const withGrant: OrganisationGroups = { groups: [{ ...member, fullRead: true }], summaryRefreshedAt: NOW };
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      'GET /api/v1/groups': { status: 200, body: { groups: [] } },
      [`GET /api/v1/orgs/${ORG_ID}/groups`]: [{ status: 200, body: without }, { status: 200, body: withGrant }],
      [`PUT /api/v1/orgs/${ORG_ID}/groups/${GROUP}/full-read`]: { status: 200, body: withGrant },
    });
    renderApp('/groups');
    fireEvent.click(await screen.findByRole('button', { name: 'Grant Acme group full read' }));
    expect(await screen.findByRole('button', { name: 'Revoke Acme group’s full read' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText('Granted: answers, evidence list and latest report')).toBeTruthy());
    expect(calls.some((c) => c.method === 'PUT' && c.path.endsWith('/full-read'))).toBe(true);
  });
});
