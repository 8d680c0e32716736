import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';

import { createQueryClient } from '@/lib/query-client';
import { aMe, anEnvelope, stubFetch } from '@/testing/fetch-stub';
import { anEvidence, ASSESSMENT_ID, NOW, ORG_ID, OTHER_ID } from '@/testing/fixtures';
import { meQueryKey } from '@/features/auth';
import { EvidencePanel } from './evidence-panel';

const EV_ID = 'e1b2c3d4-0000-4000-8000-0000000000aa';
const linked = anEvidence({
  id: EV_ID,
  title: 'Staff safeguarding training 2026',
  kind: 'training_record',
  fileName: 'training-2026.pdf',
  sizeBytes: 120_000,
  sha256: 'cd'.repeat(32),
  status: 'accepted',
  counts: true,
  reviewer: { userId: OTHER_ID, name: 'Sam Lee', reviewedAt: NOW },
  uploadedBy: { userId: OTHER_ID, name: 'Sam Lee' },
  version: 2,
  linkedAnswers: [{ assessmentId: ASSESSMENT_ID, questionId: 'GOV-01', linkedAt: NOW }],
});

/** The panel as the signed-in questionnaire shows it: /auth/me already loaded, inside the router. */
function renderPanel(props: Parameters<typeof EvidencePanel>[0]) {
  const queryClient = createQueryClient({ queries: { retry: false } });
  queryClient.setQueryData(meQueryKey, aMe());
  const router = createMemoryRouter([{ path: '/', element: <EvidencePanel {...props} /> }]);
  return render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe('EvidencePanel on the question card', () => {
  it('shows linked evidence by name, kind in words, SHA-256 and state, with Preview and Download, never a bare id', async () => {
    stubFetch({ [`GET /api/v1/orgs/${ORG_ID}/evidence/${EV_ID}`]: { status: 200, body: linked } });
    renderPanel({ evidenceIds: [EV_ID], kinds: ['policy', 'training_record'] });
    expect(await screen.findByText('Staff safeguarding training 2026')).toBeTruthy();
    expect(screen.queryByText(EV_ID)).toBeNull();
    expect(screen.getByText('Training record', { selector: '.tag' })).toBeTruthy();
    expect(screen.getByText(`${'cd'.repeat(6)}…`).getAttribute('title')).toBe('cd'.repeat(32));
    expect(screen.getByText('Accepted', { selector: '.tag' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Preview Staff safeguarding training 2026' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Download Staff safeguarding training 2026' })).toBeTruthy();
    expect(screen.getByText(/^Accepted kinds: Policy, Training record\./)).toBeTruthy();
  });

  it('links the page on suspected material from the refusal message instead of printing its path', async () => {
    const refusal =
      'This file cannot be stored as evidence. It is a JPEG image. Never upload suspected child sexual abuse material: report it and see /found-suspected-material for what to do.';
    stubFetch({ [`POST /api/v1/orgs/${ORG_ID}/evidence`]: { status: 415, body: anEnvelope('UNSUPPORTED_EVIDENCE', refusal) } });
    renderPanel({ evidenceIds: [], kinds: ['policy'], upload: { orgId: ORG_ID, assessmentId: ASSESSMENT_ID, questionId: 'GOV-01' } });
    const file = new File(['\u00ff\u00d8\u00ff'], 'photo.pdf', { type: 'application/pdf' });
    fireEvent.drop(screen.getByText(/Drop a PDF, office document/).closest('.dropzone')!, { dataTransfer: { files: [file] } });
    const link = await screen.findByRole('link', { name: 'what to do if you find suspected material' });
    expect(link.getAttribute('href')).toBe('/found-suspected-material');
    expect(screen.getByText('This file was refused')).toBeTruthy();
    expect(screen.queryByText(/\/found-suspected-material/)).toBeNull();
  });
});
