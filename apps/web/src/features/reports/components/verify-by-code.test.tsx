import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { verifyPageUrl } from '@hoh/contracts';

import { stubFetch, unauthenticated } from '@/testing/fetch-stub';
import { REPORT_ID } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const RESULTS = 'cd'.repeat(32);
const PDF = 'ab'.repeat(32);
const OTHER_REPORT = '0b6c0d57-7d4e-4d8e-9a51-3b1f1c2d3e4f';
const genuine = { genuine: true, reportId: REPORT_ID, organisation: 'Northwind Social', issuedAt: '2026-11-28T10:00:00.000Z', pdfSha256: PDF };
// The page is opened with exactly the URL a report prints (its path and query, whatever the host).
const link = (reportId: string, results: string) => {
  const url = new URL(verifyPageUrl('https://hoh.example.org', reportId, results));
  return `${url.pathname}${url.search}`;
};
const sentBodies = (calls: { path: string; init?: RequestInit | undefined }[]) =>
  calls.filter((c) => c.path === '/api/v1/reports/verify').map((c) => c.init?.body);

describe('verify page opened from a report’s link (?report=&results=)', () => {
  it('names the report the code points at, then asks for the file and confirms it is that report, unaltered', async () => {
    const { calls } = stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/reports/verify': [
        { status: 200, body: genuine },
        { status: 200, body: { genuine: true, reportId: REPORT_ID, organisation: 'Northwind Social', issuedAt: '2026-11-28T10:00:00.000Z' } },
      ],
    });
    renderApp(link(REPORT_ID, RESULTS));
    expect(await screen.findByText('This code names a genuine report')).toBeTruthy();
    expect(screen.getByText(/issued to/).textContent).toMatch(new RegExp(`This code names report ${REPORT_ID} issued to Northwind Social on`));
    expect(screen.getByText(PDF)).toBeTruthy();
    expect(JSON.parse(sentBodies(calls)[0] as string)).toEqual({ reportId: REPORT_ID, resultsSha256: RESULTS });

    const file = new File(['%PDF-1.7'], 'board-pack.pdf', { type: 'application/pdf' });
    fireEvent.drop(screen.getByTestId('verify-dropzone'), { dataTransfer: { files: [file] } });
    expect(await screen.findByText('Genuine and unaltered')).toBeTruthy();
    expect(sentBodies(calls)[1]).toBeInstanceOf(FormData);
  });

  it('says so when the file is genuine but a different report from the one the code names', async () => {
    stubFetch({
      'GET /api/v1/auth/me': unauthenticated,
      'POST /api/v1/reports/verify': [
        { status: 200, body: genuine },
        { status: 200, body: { genuine: true, reportId: OTHER_REPORT, organisation: 'Northwind Social', issuedAt: '2025-11-28T10:00:00.000Z' } },
      ],
    });
    renderApp(link(REPORT_ID, RESULTS));
    await screen.findByText('This code names a genuine report');
    fireEvent.drop(screen.getByTestId('verify-dropzone'), { dataTransfer: { files: [new File(['%PDF-1.7'], 'old.pdf')] } });
    expect(await screen.findByText('A different report')).toBeTruthy();
    expect(screen.queryByText('Genuine and unaltered')).toBeNull();
    expect(screen.getByText(OTHER_REPORT)).toBeTruthy();
  });

  it('says the code names no report issued here, and still offers the file check', async () => {
    stubFetch({ 'GET /api/v1/auth/me': unauthenticated, 'POST /api/v1/reports/verify': { status: 200, body: { genuine: false } } });
    renderApp(link(REPORT_ID, RESULTS));
    expect(await screen.findByText('This code names no report issued here')).toBeTruthy();
    expect(screen.getByTestId('verify-dropzone')).toBeTruthy();
  });

  it('sends nothing for a damaged link and says what it should carry', async () => {
    const { calls } = stubFetch({ 'GET /api/v1/auth/me': unauthenticated, 'POST /api/v1/reports/verify': { status: 200, body: { genuine: false } } });
    renderApp(`/verify?report=${REPORT_ID}&results=abc`);
    expect(await screen.findByText('This verify link is incomplete')).toBeTruthy();
    expect(screen.getByTestId('verify-dropzone')).toBeTruthy();
    expect(sentBodies(calls)).toEqual([]);
  });
});
