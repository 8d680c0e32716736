import type { Notification } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import { ORG_ID } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';
import { renderWithClient } from '@/testing/render-with-client';

import { NotificationBell } from './notification-bell';

const org = `/api/v1/orgs/${ORG_ID}`;
const EVIDENCE_ID = '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d';
const ACTION_ID = '7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e';

const aNotification = (overrides: Partial<Notification>): Notification => ({
  id: '11111111-2222-4333-8444-555555555555',
  kind: 'evidence_7d',
  entityType: 'evidence',
  entityId: EVIDENCE_ID,
  title: 'Evidence expires in 6 days: Hash-matching policy',
  body: '"Hash-matching policy" expires on 2026-12-13; from then it no longer counts for any answer.',
  link: `/evidence?evidence=${EVIDENCE_ID}`,
  createdAt: '2026-12-07T09:00:00.000Z',
  readAt: null,
  ...overrides,
});

const unread = aNotification({});
const overdue = aNotification({
  id: '22222222-3333-4444-8555-666666666666',
  kind: 'action_overdue',
  entityType: 'action',
  entityId: ACTION_ID,
  title: 'Overdue: A-014 Report to NCMEC',
  body: 'A-014 "Report to NCMEC" was due on 2026-12-01 (6 days ago) and is still open.',
  link: `/remediation?overdue=true&action=${ACTION_ID}`,
  createdAt: '2026-12-07T08:00:00.000Z',
});
const alreadyRead = aNotification({ id: '33333333-4444-4555-8666-777777777777', title: 'Evidence expires in 30 days: DPIA', readAt: '2026-12-06T10:00:00.000Z', createdAt: '2026-12-05T10:00:00.000Z' });

describe('notification bell', () => {
  it('shows the unread count in the header, lists notifications with links to their item, and marks one or all read', async () => {
    const { calls } = stubFetch({
      [`GET ${org}/notifications`]: [
        { status: 200, body: { items: [unread, overdue, alreadyRead], nextCursor: null, unread: 2 } },
        { status: 200, body: { items: [{ ...unread, readAt: '2026-12-07T10:00:00.000Z' }, overdue, alreadyRead], nextCursor: null, unread: 1 } },
        { status: 200, body: { items: [unread, overdue, alreadyRead].map((n) => ({ ...n, readAt: n.readAt ?? '2026-12-07T10:01:00.000Z' })), nextCursor: null, unread: 0 } },
      ],
      [`POST ${org}/notifications/${unread.id}/read`]: { status: 200, body: { ...unread, readAt: '2026-12-07T10:00:00.000Z' } },
      [`POST ${org}/notifications/read-all`]: { status: 200, body: { marked: 1, unread: 0 } },
    });
    renderWithClient(
      <MemoryRouter>
        <NotificationBell orgId={ORG_ID} />
      </MemoryRouter>,
    );

    const bell = await screen.findByRole('button', { name: 'Notifications, 2 unread' });
    expect(within(bell).getByText('2')).toBeTruthy();
    fireEvent.click(bell);
    const panel = screen.getByRole('region', { name: 'Notifications' });
    expect(within(panel).getByRole('link', { name: unread.title }).getAttribute('href')).toBe(unread.link);
    expect(within(panel).getByRole('link', { name: overdue.title }).getAttribute('href')).toBe(overdue.link);
    // A read one offers no "mark read".
    expect(within(panel).getAllByRole('button', { name: /^Mark read/ })).toHaveLength(2);

    fireEvent.click(within(panel).getByRole('button', { name: `Mark read: ${unread.title}` }));
    await screen.findByRole('button', { name: 'Notifications, 1 unread' });
    expect(calls.some((c) => c.method === 'POST' && c.path === `${org}/notifications/${unread.id}/read`)).toBe(true);

    fireEvent.click(within(screen.getByRole('region', { name: 'Notifications' })).getByRole('button', { name: 'Mark all read' }));
    await screen.findByRole('button', { name: 'Notifications, none unread' });
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'Notifications' })).queryAllByRole('button', { name: /^Mark read/ })).toHaveLength(0));

    // The panel links to the member's notification settings.
    expect(within(screen.getByRole('region', { name: 'Notifications' })).getByRole('link', { name: 'Notification settings' }).getAttribute('href')).toBe('/settings/notifications');

    // Escape closes the panel.
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('region', { name: 'Notifications' })).toBeNull();
  }, 15_000);

  it('sits in the app shell header and says what will appear when there is nothing yet', async () => {
    stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET ${org}/dashboard`]: { status: 404, body: { error: { code: 'NOT_FOUND', message: 'none', requestId: 'r' } } },
      [`GET ${org}/assessments`]: { status: 200, body: { items: [], nextCursor: null } },
    });
    renderApp('/');
    fireEvent.click(await screen.findByRole('button', { name: 'Notifications, none unread' }));
    expect(await screen.findByText(/Reminders about expiring evidence, due actions, reviews and assignments appear here/)).toBeTruthy();
  }, 15_000);
});
