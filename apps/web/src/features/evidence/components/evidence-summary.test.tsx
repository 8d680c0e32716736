import type { EvidenceResponse, Membership } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import type { Routes } from '@/testing/fetch-stub';
import { anEvidence, ME_ID, NOW, ORG_ID, OTHER_ID } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';
import { evidenceReviewControls } from './evidence-summary';

const org = `/api/v1/orgs/${ORG_ID}`;
const PDF_ID = 'e1b2c3d4-0000-4000-8000-00000000000a';
const LINK_ID = 'e1b2c3d4-0000-4000-8000-00000000000b';
const REF_ID = 'e1b2c3d4-0000-4000-8000-00000000000c';
const SHA = 'ab'.repeat(32);

const base = anEvidence({
  id: PDF_ID,
  kind: 'training_record',
  fileName: 'hash-matching-policy.pdf',
  sizeBytes: 48_000,
  sha256: SHA,
  uploadedBy: { userId: OTHER_ID, name: 'Sam Lee' },
});
const pdf = (over: Partial<EvidenceResponse> = {}): EvidenceResponse => ({ ...base, ...over });
const link = pdf({ id: LINK_ID, title: 'Reporting runbook', kind: 'procedure', source: 'external', fileName: null, mediaType: null, sizeBytes: null, sha256: null, externalRef: 'https://intranet.example/runbook' });
const reference = pdf({ id: REF_ID, title: 'Board minutes', kind: 'minutes', source: 'external', fileName: null, mediaType: null, sizeBytes: null, sha256: null, externalRef: 'DMS-4711' });

function api(role: Membership['role'], items: EvidenceResponse[] | EvidenceResponse[][], extra: Routes = {}): Routes {
  const me = aMe();
  const pages = (Array.isArray(items[0]) ? items : [items]) as EvidenceResponse[][];
  return {
    'GET /api/v1/auth/me': { status: 200, body: { ...me, memberships: [{ ...me.memberships[0]!, role }] } },
    [`GET ${org}/evidence`]: pages.map((p) => ({ status: 200, body: { items: p, nextCursor: null } })),
    ...extra,
  };
}

const viewer = { userId: ME_ID, mayManage: true };

describe('evidenceReviewControls: never a control the server would refuse', () => {
  it('offers Accept only to a manager who did not upload it and has opened it', () => {
    expect(evidenceReviewControls(pdf({ openedByYouAt: NOW }), viewer)).toEqual({ accept: true, reject: true, openFirst: false });
    expect(evidenceReviewControls(pdf(), viewer)).toEqual({ accept: false, reject: true, openFirst: true });
  });

  it('offers the uploader no review control, opened or not', () => {
    const own = pdf({ uploadedBy: { userId: ME_ID, name: 'Alex Morgan' }, openedByYouAt: NOW });
    expect(evidenceReviewControls(own, viewer)).toEqual({ accept: false, reject: false, openFirst: false });
  });

  it('offers a member who may not manage (contributor, auditor) no review control', () => {
    expect(evidenceReviewControls(pdf({ openedByYouAt: NOW }), { userId: ME_ID, mayManage: false })).toEqual({ accept: false, reject: false, openFirst: false });
  });

  it('offers no decision the evidence already has', () => {
    expect(evidenceReviewControls(pdf({ status: 'accepted', openedByYouAt: NOW }), viewer)).toEqual({ accept: false, reject: true, openFirst: false });
    expect(evidenceReviewControls(pdf({ status: 'rejected', openedByYouAt: NOW }), viewer)).toEqual({ accept: true, reject: false, openFirst: false });
  });
});

describe('EvidenceSummary in the evidence library', () => {
  beforeEach(() => {
    // jsdom has no object URLs; the download hands the blob to an <a download>.
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:evidence'), revokeObjectURL: vi.fn() }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  });

  it('shows the kind in words, the short SHA-256 with the full one on hover, expiry and state', async () => {
    stubFetch(api('auditor', [pdf()]));
    renderApp('/evidence');
    expect(await screen.findByText('Training record')).toBeTruthy();
    expect(screen.queryByText('training_record')).toBeNull();
    expect(screen.queryByText('training record')).toBeNull();
    const hash = screen.getByText(`${SHA.slice(0, 12)}…`);
    expect(hash.getAttribute('title')).toBe(SHA);
    expect(screen.getByRole('button', { name: 'Copy SHA-256' })).toBeTruthy();
    expect(screen.getByText('Pending review', { selector: '.tag' })).toBeTruthy();
    expect(screen.getByText(/^Expires /)).toBeTruthy();
  });

  it('an auditor may preview and download a PDF but is offered no review control', async () => {
    const { calls } = stubFetch(api('auditor', [[pdf()], [pdf({ openedByYouAt: NOW })]], { [`GET ${org}/evidence/${PDF_ID}/content`]: { status: 200, body: '%PDF-1.7', headers: { 'Content-Type': 'application/pdf' } } }));
    renderApp('/evidence');
    expect(await screen.findByRole('button', { name: 'Preview Hash-matching policy v3' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Download Hash-matching policy v3' }));
    await waitFor(() => expect(calls.some((c) => c.path === `${org}/evidence/${PDF_ID}/content`)).toBe(true));
    expect(await screen.findByText(/^You opened it /)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^(Accept|Reject) / })).toBeNull();
  });

  it('a reviewer is told to open it first; after downloading it (an open on the server) Accept appears', async () => {
    const { calls } = stubFetch(
      api('assessor', [[pdf()], [pdf({ openedByYouAt: NOW })]], {
        [`GET ${org}/evidence/${PDF_ID}/content`]: { status: 200, body: '%PDF-1.7', headers: { 'Content-Type': 'application/pdf' } },
        [`POST ${org}/evidence/${PDF_ID}/review`]: { status: 200, body: pdf({ openedByYouAt: NOW, status: 'accepted' }) },
      }),
    );
    renderApp('/evidence');
    expect(await screen.findByText('Open it before you accept it.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Accept Hash-matching policy v3' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Reject Hash-matching policy v3' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Download Hash-matching policy v3' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Accept Hash-matching policy v3' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(JSON.parse(calls.find((c) => c.method === 'POST')?.init?.body as string)).toEqual({ decision: 'accept' });
  });

  it('the uploader sees no Accept or Reject for their own evidence, even after opening it', async () => {
    stubFetch(api('owner', [pdf({ uploadedBy: { userId: ME_ID, name: 'Alex Morgan' }, openedByYouAt: NOW })]));
    renderApp('/evidence');
    expect(await screen.findByRole('button', { name: 'Download Hash-matching policy v3' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^(Accept|Reject) / })).toBeNull();
    expect(screen.queryByText('Open it before you accept it.')).toBeNull();
  });

  it('a link opens through the recording redirect, never the raw URL', async () => {
    stubFetch(api('auditor', [link]));
    renderApp('/evidence');
    const open = await screen.findByRole('link', { name: 'Open link Reporting runbook (new tab)' });
    expect(open.getAttribute('href')).toBe(`${org}/evidence/${LINK_ID}/open`);
    expect(open.getAttribute('rel')).toContain('noopener');
    expect(screen.queryByRole('button', { name: /Download|Preview/ })).toBeNull();
  });

  it('a document id shows the id and records "I looked it up", after which Accept appears', async () => {
    const { calls } = stubFetch(api('owner', [[reference], [{ ...reference, openedByYouAt: NOW }]], { [`POST ${org}/evidence/${REF_ID}/opens`]: { status: 200, body: { ...reference, openedByYouAt: NOW } } }));
    renderApp('/evidence');
    const row = (await screen.findByText('DMS-4711')).closest('.evidence-summary') as HTMLElement;
    expect(within(row).getByText('Look it up before you accept it.')).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'I looked up Board minutes' }));
    expect(await within(row).findByRole('button', { name: 'Accept Board minutes' })).toBeTruthy();
    expect(within(row).getByText(/^You looked it up /)).toBeTruthy();
    expect(JSON.parse(calls.find((c) => c.method === 'POST')?.init?.body as string)).toEqual({});
  });

  it('the preview is a sandboxed frame without allow-same-origin, fed the bytes the app fetched', async () => {
    const { calls } = stubFetch(api('auditor', [pdf()], { [`GET ${org}/evidence/${PDF_ID}/content`]: { status: 200, body: '%PDF-1.7', headers: { 'Content-Type': 'application/pdf' } } }));
    renderApp('/evidence');
    fireEvent.click(await screen.findByRole('button', { name: 'Preview Hash-matching policy v3' }));
    const frame = await screen.findByTitle<HTMLIFrameElement>('Preview of hash-matching-policy.pdf');
    expect(frame.getAttribute('sandbox')).toBe('allow-scripts');
    expect(frame.getAttribute('src')).toBe('/evidence-preview.html');
    await waitFor(() => expect(calls.some((c) => c.path === `${org}/evidence/${PDF_ID}/content`)).toBe(true));
  });
});
