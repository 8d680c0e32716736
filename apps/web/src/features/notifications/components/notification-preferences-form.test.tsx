import { PREFERENCE_KINDS, REQUIRED_KINDS } from '@hoh/contracts';
import type { NotificationDelivery, NotificationPreferencesResponse } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import { ORG_ID } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const url = `/api/v1/orgs/${ORG_ID}/notification-preferences`;
const me = aMe();
const role = me.memberships[0]!.role;

const prefs = (version: number, changes: Partial<Record<(typeof PREFERENCE_KINDS)[number], NotificationDelivery>> = {}): NotificationPreferencesResponse => ({
  version,
  items: PREFERENCE_KINDS.map((kind) => ({ kind, delivery: changes[kind] ?? 'immediately', required: REQUIRED_KINDS[role].includes(kind) })),
});

const group = (name: string) => screen.getByRole('group', { name });

describe('notification settings page (/settings/notifications)', () => {
  it('shows a choice per kind, offers no "Off" where the role must receive it, and saves against the version it read', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: me },
      [`GET ${url}`]: { status: 200, body: prefs(3), headers: { ETag: '"3"' } },
      [`PUT ${url}`]: { status: 200, body: prefs(4, { assignment: 'weekly_digest' }), headers: { ETag: '"4"' } },
    });
    renderApp('/settings/notifications');

    await screen.findByRole('heading', { name: 'Notification settings' });
    const assignment = await screen.findByRole('group', { name: 'Questions assigned to you' });
    expect(within(assignment).getAllByRole('radio').map((r) => (r as HTMLInputElement).value)).toEqual(['immediately', 'weekly_digest', 'off']);
    // The signed-in member is an owner: the annual review cannot be turned off.
    expect(role).toBe('owner');
    const reviewDue = group('Annual review due');
    expect(within(reviewDue).queryByRole('radio', { name: /^Off/ })).toBeNull();
    expect(within(reviewDue).getByText(/Your role must receive this/)).toBeTruthy();
    const save = screen.getByRole('button', { name: 'Save preferences' });
    expect((save as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(within(assignment).getByRole('radio', { name: /^Weekly digest/ }));
    fireEvent.click(save);
    await screen.findByText('Saved. New reminders follow these choices.');
    const put = calls.find((c) => c.method === 'PUT');
    expect(new Headers(put?.init?.headers).get('If-Match')).toBe('"3"');
    const sent = JSON.parse(put?.init?.body as string) as { deliveries: Record<string, string> };
    expect(sent.deliveries.assignment).toBe('weekly_digest');
    expect(Object.keys(sent.deliveries)).toEqual([...PREFERENCE_KINDS]);
  }, 15_000);

  it('shows what is saved now when another tab saved first (412), instead of overwriting it', async () => {
    stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: me },
      [`GET ${url}`]: { status: 200, body: prefs(1) },
      [`PUT ${url}`]: {
        status: 412,
        body: { error: { code: 'PRECONDITION_FAILED', message: 'Changed elsewhere', requestId: 'r' }, current: prefs(2, { review_waiting: 'off' }) },
      },
    });
    renderApp('/settings/notifications');

    const assignment = await screen.findByRole('group', { name: 'Questions assigned to you' });
    fireEvent.click(within(assignment).getByRole('radio', { name: /^Off/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save preferences' }));
    await screen.findByText(/Your preferences were changed elsewhere/);
    await waitFor(() => expect(within(group('Submission waiting for review')).getByRole<HTMLInputElement>('radio', { name: /^Off/ }).checked).toBe(true));
    expect(within(group('Questions assigned to you')).getByRole<HTMLInputElement>('radio', { name: /^Immediately/ }).checked).toBe(true);
  }, 15_000);
});
