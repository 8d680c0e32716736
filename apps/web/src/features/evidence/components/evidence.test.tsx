import type { Membership } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import type { Routes } from '@/testing/fetch-stub';
import { anEvidence, ORG_ID, OTHER_ID } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const org = `/api/v1/orgs/${ORG_ID}`;
const EV_ID = 'e1b2c3d4-0000-4000-8000-000000000001';
const item = anEvidence({
  id: EV_ID,
  source: 'external',
  fileName: null,
  mediaType: null,
  sizeBytes: null,
  sha256: null,
  externalRef: 'DMS-4711',
  issuedAt: '2025-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T00:00:00.000Z',
  expired: true,
  // Someone else's upload: nobody reviews their own.
  uploadedBy: { userId: OTHER_ID, name: 'Sam Lee' },
});

function api(role: Membership['role'], extra: Routes = {}): Routes {
  const base = aMe();
  return {
    'GET /api/v1/auth/me': { status: 200, body: { ...base, memberships: [{ ...base.memberships[0]!, role }] } },
    [`GET ${org}/evidence`]: { status: 200, body: { items: [item], nextCursor: null } },
    ...extra,
  };
}

describe('evidence library', () => {
  it('lists status and expiry in words; rejecting asks for a reason', async () => {
    const { calls } = stubFetch(api('assessor', { [`POST ${org}/evidence/${EV_ID}/review`]: { status: 200, body: { ...item, status: 'rejected' } } }));
    renderApp('/evidence');
    expect(await screen.findByText('Expired')).toBeTruthy();
    expect(screen.getByText('Pending review', { selector: '.tag' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Reject Hash-matching policy v3' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(within(dialog).getByText('Say why the evidence is rejected')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Why is it rejected? (required)'), { target: { value: 'Out of date' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(JSON.parse(calls.find((c) => c.method === 'POST')?.init?.body as string)).toEqual({ decision: 'reject', reason: 'Out of date' });
  });

  it('adds an external reference', async () => {
    const { calls } = stubFetch(api('contributor', { [`POST ${org}/evidence`]: { status: 201, body: item } }));
    renderApp('/evidence');
    const form = await screen.findByRole('form', { name: 'Add an external reference' });
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: 'Hash-matching policy v3' } });
    fireEvent.change(within(form).getByLabelText('URL or document id'), { target: { value: 'DMS-4711' } });
    fireEvent.change(within(form).getByLabelText('Issued on'), { target: { value: '2026-01-15' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add reference' }));
    expect(await screen.findByText('Reference added')).toBeTruthy();
    const body = JSON.parse(calls.find((c) => c.method === 'POST')?.init?.body as string) as Record<string, string>;
    expect(body).toMatchObject({ title: 'Hash-matching policy v3', externalRef: 'DMS-4711', issuedAt: '2026-01-15T00:00:00.000Z' });
    // Contributors add evidence but do not review it.
    expect(screen.queryByRole('button', { name: /^Accept / })).toBeNull();
  });

  it('auditor mode: reads the library with no add or review controls', async () => {
    stubFetch(api('auditor'));
    renderApp('/evidence');
    expect(await screen.findByText('Hash-matching policy v3')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Add an external reference' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Accept|Reject/ })).toBeNull();
  });
});
