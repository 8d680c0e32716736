import type { Membership } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch, unauthenticated } from '@/testing/fetch-stub';
import type { Routes } from '@/testing/fetch-stub';
import { anAssessment, aReport, ASSESSMENT_ID, ORG_ID, REPORT_ID, summaryOf } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';
import { renderWithClient } from '@/testing/render-with-client';

import { ReportProgress } from './report-progress';

const org = `/api/v1/orgs/${ORG_ID}`;
const SHA = 'ab'.repeat(32);
const ready = aReport({
  status: 'ready',
  issuedAt: '2026-11-28T10:00:00.000Z',
  pdfSha256: SHA,
  resultsSha256: 'cd'.repeat(32),
  sizeBytes: 90_000,
  manifest: { reportId: REPORT_ID, organisationId: ORG_ID, assessmentId: ASSESSMENT_ID, issuedAt: '2026-11-28T10:00:00.000Z', pdfSha256: SHA, resultsSha256: 'cd'.repeat(32) },
  signature: 'c2lnbmF0dXJl',
  keyId: 'k-0123456789abcdef',
});

function api(role: Membership['role'], extra: Routes = {}): Routes {
  const base = aMe();
  return {
    'GET /api/v1/auth/me': { status: 200, body: { ...base, memberships: [{ ...base.memberships[0]!, role, accountableIndividual: false }] } },
    [`GET ${org}/assessments`]: { status: 200, body: { items: [summaryOf(anAssessment())], nextCursor: null } },
    [`GET ${org}/reports`]: { status: 200, body: { items: [], nextCursor: null } },
    ...extra,
  };
}

describe('report polling', () => {
  it('says where the job is until it is ready, then offers the download', async () => {
    stubFetch({
      [`GET ${org}/reports/${REPORT_ID}`]: [
        { status: 200, body: aReport({ status: 'queued' }) },
        { status: 200, body: aReport({ status: 'rendering' }) },
        { status: 200, body: ready },
      ],
      [`GET ${org}/reports`]: { status: 200, body: { items: [ready], nextCursor: null } },
    });
    renderWithClient(<ReportProgress orgId={ORG_ID} reportId={REPORT_ID} pollMs={20} />);

    expect(await screen.findByText(/Queued: waiting for a report worker/)).toBeTruthy();
    expect(await screen.findByText(/Rendering the PDF/)).toBeTruthy();
    expect(await screen.findByText('Report ready')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Download the PDF' }).getAttribute('href')).toBe(`${org}/reports/${REPORT_ID}/pdf`);
    expect(screen.getByText(SHA)).toBeTruthy();
  });

  it('shows why rendering failed', async () => {
    stubFetch({
      [`GET ${org}/reports/${REPORT_ID}`]: { status: 200, body: aReport({ status: 'failed', error: 'The signing key is unavailable.' }) },
      [`GET ${org}/reports`]: { status: 200, body: { items: [], nextCursor: null } },
    });
    renderWithClient(<ReportProgress orgId={ORG_ID} reportId={REPORT_ID} pollMs={20} />);
    expect(await screen.findByText('The report could not be rendered')).toBeTruthy();
    expect(screen.getByText(/The signing key is unavailable\./)).toBeTruthy();
  });
});

describe('reports screen', () => {
  it('issues a report for the current assessment (202), follows it and lists it with manifest, signature and key id', async () => {
    const { calls } = stubFetch(
      api('owner', {
        [`POST ${org}/assessments/${ASSESSMENT_ID}/reports`]: { status: 202, body: aReport() },
        [`GET ${org}/reports/${REPORT_ID}`]: { status: 200, body: ready },
        [`GET ${org}/reports`]: [
          { status: 200, body: { items: [], nextCursor: null } },
          { status: 200, body: { items: [ready], nextCursor: null } },
        ],
      }),
    );
    renderApp('/reports');
    fireEvent.click(await screen.findByRole('button', { name: 'Issue the report' }));
    expect(await screen.findByText('Report ready')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.path.endsWith('/reports'))).toBe(true);

    const history = await screen.findByRole('region', { name: 'History' });
    await waitFor(() => expect(within(history).getByRole('link', { name: /Download the PDF issued/ })).toBeTruthy());
    expect(within(history).getByText('k-0123456789abcdef')).toBeTruthy();
    expect(within(history).getByText('c2lnbmF0dXJl')).toBeTruthy();
    expect(within(history).getAllByText(SHA).length).toBeGreaterThan(0);
    expect(within(history).getByRole('link', { name: 'Verify a report' })).toBeTruthy();
  });

  it('auditor mode: history and downloads, no issue control', async () => {
    stubFetch(api('auditor', { [`GET ${org}/reports`]: { status: 200, body: { items: [ready], nextCursor: null } } }));
    renderApp('/reports');
    expect(await screen.findByRole('link', { name: /Download the PDF issued/ })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Issue the report' })).toBeNull();
  });

  it('offers the editable board pack (DOCX) and registers (XLSX) of a ready report, to an auditor too', async () => {
    stubFetch(api('auditor', { [`GET ${org}/reports`]: { status: 200, body: { items: [ready, aReport({ id: '5c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f', status: 'rendering' })], nextCursor: null } } }));
    renderApp('/reports');
    const docx = await screen.findByRole('link', { name: 'Board pack (Word)' });
    expect(docx.getAttribute('href')).toBe(`${org}/reports/${REPORT_ID}/board-pack.docx`);
    expect(screen.getByRole('link', { name: 'Registers (Excel)' }).getAttribute('href')).toBe(`${org}/reports/${REPORT_ID}/registers.xlsx`);
    // Only the ready report has copies: they are made from the model stored when it was issued.
    expect(screen.getAllByRole('link', { name: 'Board pack (Word)' })).toHaveLength(1);
  });
});

describe('verify a report (public)', () => {
  it('checks a pasted SHA-256 without signing in and says "not recognised"', async () => {
    const { calls } = stubFetch({ 'GET /api/v1/auth/me': unauthenticated, 'POST /api/v1/reports/verify': { status: 200, body: { genuine: false } } });
    renderApp('/verify');
    const field = await screen.findByLabelText("Or paste the report's SHA-256");
    fireEvent.change(field, { target: { value: 'not-a-hash' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check the hash' }));
    expect(await screen.findByText(/64 hex characters/, { selector: '.field__error' })).toBeTruthy();
    expect(calls.some((c) => c.path === '/api/v1/reports/verify')).toBe(false);

    fireEvent.change(field, { target: { value: SHA.toUpperCase() } });
    fireEvent.click(screen.getByRole('button', { name: 'Check the hash' }));
    expect(await screen.findByText('Not recognised')).toBeTruthy();
    expect(JSON.parse(calls.find((c) => c.path === '/api/v1/reports/verify')?.init?.body as string)).toEqual({ sha256: SHA });
  });

  it('accepts a dropped PDF and shows the organisation, report id and issue date when genuine', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/reports/verify': { status: 200, body: { genuine: true, reportId: REPORT_ID, organisation: 'Northwind Social', issuedAt: '2026-11-28T10:00:00.000Z' } },
    });
    renderApp('/verify');
    const file = new File(['%PDF-1.7'], 'board-pack.pdf', { type: 'application/pdf' });
    fireEvent.drop(await screen.findByTestId('verify-dropzone'), { dataTransfer: { files: [file] } });
    expect(await screen.findByText('Genuine and unaltered')).toBeTruthy();
    expect(screen.getByText('Northwind Social')).toBeTruthy();
    expect(screen.getByText(REPORT_ID)).toBeTruthy();
    expect(calls.find((c) => c.path === '/api/v1/reports/verify')?.init?.body).toBeInstanceOf(FormData);
  });

  it('says when the check itself failed (rate limit)', async () => {
    stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/reports/verify': { status: 429, body: anEnvelope('RATE_LIMITED', 'Too many checks.'), headers: { 'Retry-After': '30' } },
    });
    renderApp('/verify');
    fireEvent.change(await screen.findByLabelText("Or paste the report's SHA-256"), { target: { value: SHA } });
    fireEvent.click(screen.getByRole('button', { name: 'Check the hash' }));
    expect(await screen.findByText('Too many checks. Try again in 30 seconds.')).toBeTruthy();
  });
});
