import type { Invitation } from '@hoh/contracts';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { renderWithClient } from '@/testing/render-with-client';

import { InvitationsList } from './invitations-list';

const base: Invitation = {
  id: '33333333-3333-4333-8333-333333333333',
  email: 'new.person@example.org',
  role: 'contributor',
  invitedBy: null,
  createdAt: '2026-12-01T09:00:00Z',
  expiresAt: '2026-12-08T09:00:00Z',
};

describe('pending invitations', () => {
  it('says how each invitation’s email fared, with the mail server’s reason when it gave up', () => {
    renderWithClient(
      <InvitationsList
        orgId="0d6b8a3c-2f1e-4b7a-9c8d-7e6f5a4b3c2d"
        invitations={[
          { ...base, delivery: { status: 'sent', attempts: 1, lastError: null, sentAt: '2026-12-01T09:01:00Z' } },
          { ...base, id: '44444444-4444-4444-8444-444444444444', email: 'typo@exmaple.org', delivery: { status: 'failed', attempts: 1, lastError: '550 Mailbox unavailable', sentAt: null } },
          { ...base, id: '55555555-5555-4555-8555-555555555555', email: 'old@example.org', delivery: null },
        ]}
      />,
    );
    expect(screen.getByText(/^Emailed /)).toBeTruthy();
    expect(screen.getByText('Could not be emailed: 550 Mailbox unavailable. Withdraw it and invite again.')).toBeTruthy();
    expect(screen.getByText('Not emailed (pass the link on yourself)')).toBeTruthy();
  });
});
