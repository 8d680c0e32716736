import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import { NOW, ORG_ID } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const FEED = `/api/v1/orgs/${ORG_ID}/calendar-feed`;
const URL_1 = `https://hoh.example.org/api/v1/calendar/hoh_cal_${'a'.repeat(43)}.ics`;
const URL_2 = `https://hoh.example.org/api/v1/calendar/hoh_cal_${'b'.repeat(43)}.ics`;

describe('Settings → Calendar', () => {
  it('makes an address and shows it once, with how to subscribe in Outlook and Google', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET ${FEED}`]: [
        { status: 200, body: { active: false, createdAt: null } },
        { status: 200, body: { active: true, createdAt: NOW } },
      ],
      [`POST ${FEED}`]: { status: 201, body: { url: URL_1, createdAt: NOW, replacedPrevious: false } },
    });
    renderApp('/settings/calendar');
    expect(await screen.findByText(/You have no calendar address/)).toBeTruthy();
    expect(screen.getByText('Outlook (web and new Outlook)')).toBeTruthy();
    expect(screen.getByText(/From URL/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Make a calendar address' }));
    expect((await screen.findByTestId('calendar-url')).textContent).toBe(URL_1);
    expect(screen.getByText(/shown/).textContent).toContain('only once');
    expect(screen.getByRole('button', { name: 'Copy the address' })).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: 'I have added it, hide it' }));
    expect(await screen.findByText(/You made your address on/)).toBeTruthy();
    expect(screen.queryByTestId('calendar-url')).toBeNull();
  });

  it('replaces an address only after confirming, and stops it', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': { status: 200, body: aMe() },
      [`GET ${FEED}`]: [
        { status: 200, body: { active: true, createdAt: NOW } },
        { status: 200, body: { active: true, createdAt: NOW } },
        { status: 200, body: { active: false, createdAt: null } },
      ],
      [`POST ${FEED}`]: { status: 201, body: { url: URL_2, createdAt: NOW, replacedPrevious: true } },
      [`DELETE ${FEED}`]: { status: 204 },
    });
    renderApp('/settings/calendar');
    fireEvent.click(await screen.findByRole('button', { name: 'Replace the address' }));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    expect(screen.getByText(/Calendars subscribed to the current address stop updating/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Replace it' }));
    expect((await screen.findByTestId('calendar-url')).textContent).toBe(URL_2);
    expect(screen.getByText('New address made; the old one no longer works')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Stop the address' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
    expect(await screen.findByText(/Your address no longer works/)).toBeTruthy();
  });
});
