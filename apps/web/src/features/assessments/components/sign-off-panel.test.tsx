import type { Membership } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch } from '@/testing/fetch-stub';
import type { Routes } from '@/testing/fetch-stub';
import { aMember, anAssessment, aReport, aScore, ASSESSMENT_ID, framework, ME_ID, ORG_ID, REPORT_ID, summaryOf } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';
import { splitStatement } from './sign-off-panel';

const org = `/api/v1/orgs/${ORG_ID}`;
const EXCEPTIONS = [
  { id: 'unknown_answer:GOV-02', kind: 'unknown_answer', questionId: 'GOV-02', message: 'GOV-02 is answered "unknown".' },
  { id: 'unknown_answer:HASH-02', kind: 'unknown_answer', questionId: 'HASH-02', message: 'HASH-02 is answered "unknown".' },
  { id: 'unreviewed_answer:OPS-01', kind: 'unreviewed_answer', questionId: 'OPS-01', message: 'OPS-01 has not been reviewed by a second person.' },
] as const;
// The engine's shape (libs/scoring-engine attestation.ts): an opening sentence, then "n. message" lines.
const STATEMENT =
  'I, Alex Morgan, organisation owner of Northwind Social, confirm that, to the best of my knowledge and belief, the answers and evidence in "Review 2026" are accurate. ' +
  'I cannot give an unqualified attestation: the following 3 exceptions are open, and I acknowledge each of them:\n' +
  EXCEPTIONS.map((e, i) => `${i + 1}. ${e.message}`).join('\n');
const signature = { statement: STATEMENT, acknowledged: EXCEPTIONS.map((e) => e.id), exceptions: [], unqualified: false, signerId: ME_ID, signerName: 'Alex Morgan', signerRole: 'owner', signedAt: '2026-11-28T10:00:00.000Z' };

function api(extra: Routes = {}, membership: Partial<Membership> = {}): Routes {
  const assessment = anAssessment({ status: 'in_review' });
  const me = aMe();
  return {
    'GET /api/v1/auth/me': { status: 200, body: { ...me, memberships: [{ ...me.memberships[0]!, ...membership }] } },
    [`GET ${org}/assessments`]: { status: 200, body: { items: [summaryOf(assessment)], nextCursor: null } },
    [`GET ${org}/assessments/${ASSESSMENT_ID}`]: { status: 200, body: assessment },
    [`GET ${org}/assessments/${ASSESSMENT_ID}/score`]: { status: 200, body: aScore() },
    [`GET /api/v1/frameworks/${framework.id}/versions/${framework.version}`]: { status: 200, body: framework },
    [`GET ${org}/members`]: { status: 200, body: { items: [aMember()], nextCursor: null } },
    [`GET ${org}/assessments/${ASSESSMENT_ID}/attestation-check`]: { status: 200, body: { exceptions: EXCEPTIONS, unqualified: false, statement: STATEMENT } },
    ...extra,
  };
}

/** Keyboard stops between two controls, in tab order (document order: the app uses no positive tabindex). */
function tabsBetween(from: Element, to: Element): number {
  const tabbable = Array.from(
    document.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'),
  );
  expect(tabbable.some((el) => el.tabIndex > 0)).toBe(false);
  return tabbable.indexOf(to as HTMLElement) - tabbable.indexOf(from as HTMLElement);
}

const bodyOf = (init: RequestInit | undefined) => JSON.parse(init?.body as string) as unknown;

// Each test renders the whole route tree (lazy routes): generous on a loaded machine.
describe('the sign-off panel', { timeout: 20_000 }, () => {
  it('splits the statement into its opening sentence and its numbered exceptions, word for word', () => {
    const { opening, items } = splitStatement(STATEMENT);
    expect(opening).toMatch(/^I, Alex Morgan, .*acknowledge each of them:$/);
    expect(items).toEqual(EXCEPTIONS.map((e, i) => ({ n: i + 1, text: e.message })));
    expect(splitStatement('I confirm, unqualified.')).toEqual({ opening: 'I confirm, unqualified.', items: [] });
  });

  it('shows the exceptions as a numbered list, not one paragraph', async () => {
    stubFetch(api());
    renderApp('/review');
    const statement = await screen.findByTestId('attestation-statement');
    const list = within(statement).getByRole('list');
    expect(list.tagName).toBe('OL');
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => [li.getAttribute('value'), li.textContent])).toEqual(EXCEPTIONS.map((e, i) => [String(i + 1), e.message]));
  });

  it('acknowledges every exception in one tick, with the agreement and the password each one Tab further', async () => {
    stubFetch(api());
    renderApp('/review');
    const acknowledge = await screen.findByLabelText('I acknowledge all 3 exceptions numbered above');
    const agree = screen.getByLabelText('I have read and agree');
    const password = screen.getByLabelText(/Your password/);
    expect(tabsBetween(acknowledge, agree)).toBe(1);
    expect(tabsBetween(agree, password)).toBe(1);
    // No checkbox per exception any more: one control acknowledges the numbered list.
    expect(screen.queryAllByLabelText(/^I acknowledge: /)).toHaveLength(0);
    expect(password.getAttribute('type')).toBe('password');
    expect(password.getAttribute('autocomplete')).toBe('current-password');
  });

  it('signs only once everything is ticked and the password typed, sending every exception id and the reauth proof', async () => {
    const signed = anAssessment({ status: 'signed', signature });
    const { calls } = stubFetch(api({ [`POST ${org}/assessments/${ASSESSMENT_ID}/sign-off`]: { status: 200, body: signed } }));
    renderApp('/review');
    const sign = await screen.findByRole<HTMLButtonElement>('button', { name: 'Sign and lock the assessment' });
    fireEvent.click(screen.getByLabelText('I acknowledge all 3 exceptions numbered above'));
    fireEvent.click(screen.getByLabelText('I have read and agree'));
    expect(sign.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/Your password/), { target: { value: 'my sign-in passphrase' } });
    expect(sign.disabled).toBe(false);
    // Enter in the password field submits: tick, tick, type, Enter.
    fireEvent.submit(sign.closest('form')!);
    expect(await screen.findByRole('heading', { name: /Signed off and locked/ })).toBeTruthy();
    // The button that had the focus is gone: the focus moves to what comes next.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Next: the board report' })));
    expect(bodyOf(calls.find((c) => c.path.endsWith('/sign-off'))?.init)).toEqual({
      statement: STATEMENT,
      acknowledged: EXCEPTIONS.map((e) => e.id),
      reauth: { password: 'my sign-in passphrase' },
    });
  });

  it('asks a signer with an authenticator app for its code and sends it with the password (docs/PRODUCT.md §2.7)', async () => {
    const signed = anAssessment({ status: 'signed', signature });
    const { calls } = stubFetch(
      api({
        'GET /api/v1/auth/two-factor': { status: 200, body: { totp: { enabled: true, confirmedAt: '2026-11-01T00:00:00.000Z' }, recoveryCodesLeft: 10, passkeys: 0, sessionHasSecondFactor: true } },
        [`POST ${org}/assessments/${ASSESSMENT_ID}/sign-off`]: { status: 200, body: signed },
      }),
    );
    renderApp('/review');
    const sign = await screen.findByRole<HTMLButtonElement>('button', { name: 'Sign and lock the assessment' });
    fireEvent.click(screen.getByLabelText('I acknowledge all 3 exceptions numbered above'));
    fireEvent.click(screen.getByLabelText('I have read and agree'));
    fireEvent.change(screen.getByLabelText(/Your password/), { target: { value: 'my sign-in passphrase' } });
    fireEvent.change(await screen.findByLabelText(/Authenticator code/), { target: { value: '123 456' } });
    fireEvent.submit(sign.closest('form')!);
    expect(await screen.findByRole('heading', { name: /Signed off and locked/ })).toBeTruthy();
    expect(bodyOf(calls.find((c) => c.path.endsWith('/sign-off'))?.init)).toMatchObject({ reauth: { password: 'my sign-in passphrase', totp: '123 456' } });
  });

  it('on 403 REAUTH_FAILED says nothing was signed, clears the password and keeps the user signed in', async () => {
    const { calls } = stubFetch(
      api({
        [`POST ${org}/assessments/${ASSESSMENT_ID}/sign-off`]: {
          status: 403,
          body: anEnvelope('REAUTH_FAILED', 'That password is not right, so nothing was signed.'),
        },
      }),
    );
    const { router } = renderApp('/review');
    fireEvent.click(await screen.findByLabelText('I acknowledge all 3 exceptions numbered above'));
    fireEvent.click(screen.getByLabelText('I have read and agree'));
    const password = screen.getByLabelText<HTMLInputElement>(/Your password/);
    fireEvent.change(password, { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign and lock the assessment' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Nothing was signed, and you are still signed in/);
    expect(screen.getByText('That password is not right.')).toBeTruthy();
    expect(password.value).toBe('');
    await waitFor(() => expect(document.activeElement).toBe(password));
    expect(router.state.location.pathname).toBe('/review');
    expect(calls.some((c) => c.path === '/api/v1/auth/sign-out')).toBe(false);
    // The ticks stay: retyping the password is all it takes.
    expect(screen.getByLabelText<HTMLInputElement>('I have read and agree').checked).toBe(true);
  });

  it('after signing, the next step issues the board report and offers its download', async () => {
    const signed = anAssessment({ status: 'signed', signature });
    const { calls } = stubFetch(
      api({
        [`GET ${org}/assessments/${ASSESSMENT_ID}`]: { status: 200, body: signed },
        [`GET ${org}/assessments`]: { status: 200, body: { items: [summaryOf(signed)], nextCursor: null } },
        [`POST ${org}/assessments/${ASSESSMENT_ID}/reports`]: { status: 202, body: aReport({ status: 'queued', draft: false }) },
        [`GET ${org}/reports/${REPORT_ID}`]: { status: 200, body: aReport({ status: 'ready', draft: false, pdfSha256: 'a'.repeat(64) }) },
        [`GET ${org}/reports`]: { status: 200, body: { items: [], nextCursor: null } },
      }),
    );
    renderApp('/review');
    expect(await screen.findByRole('heading', { name: 'Next: the board report' })).toBeTruthy();
    // The signed statement keeps its numbered list.
    expect(within(screen.getByRole('heading', { name: /Signed off and locked/ }).closest('section, div')!).getAllByRole('listitem').length).toBeGreaterThanOrEqual(3);
    fireEvent.click(screen.getByRole('button', { name: 'Issue and download the board report' }));
    const download = await screen.findByRole('link', { name: 'Download the PDF' });
    expect(download.getAttribute('href')).toBe(`${org}/reports/${REPORT_ID}/pdf`);
    expect(calls.some((c) => c.method === 'POST' && c.path.endsWith(`/assessments/${ASSESSMENT_ID}/reports`))).toBe(true);
    expect(screen.getByRole('link', { name: 'All reports for this assessment' }).getAttribute('href')).toBe(`/reports?assessment=${ASSESSMENT_ID}`);
  });

  it('points a member who cannot issue reports to the reports page instead of offering the button', async () => {
    const signed = anAssessment({ status: 'signed', signature });
    stubFetch(
      api(
        {
          [`GET ${org}/assessments/${ASSESSMENT_ID}`]: { status: 200, body: signed },
          [`GET ${org}/assessments`]: { status: 200, body: { items: [summaryOf(signed)], nextCursor: null } },
        },
        { role: 'auditor', accountableIndividual: false },
      ),
    );
    renderApp('/review');
    expect(await screen.findByRole('heading', { name: 'Next: the board report' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Issue and download the board report' })).toBeNull();
    expect(screen.getByText(/An owner or assessor issues the board report/)).toBeTruthy();
  });
});
