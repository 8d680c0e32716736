import type { Membership } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, stubFetch } from '@/testing/fetch-stub';
import type { Routes } from '@/testing/fetch-stub';
import {
  aDashboard,
  aMember,
  anAnswer,
  anAssessment,
  aProfileResponse,
  aScore,
  ASSESSMENT_ID,
  framework,
  ME_ID,
  ORG_ID,
  OTHER_ID,
  summaryOf,
} from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const org = `/api/v1/orgs/${ORG_ID}`;
const STATEMENT =
  'I confirm that, to the best of my knowledge and belief, the answers in this assessment are accurate, with the exception of GOV-02 (unknown).';
const signature = { statement: STATEMENT, acknowledged: ['unknown_answer:GOV-02'], exceptions: [], unqualified: false, signerId: ME_ID, signerName: 'Alex Morgan', signerRole: 'owner', signedAt: '2026-11-28T10:00:00.000Z' };

function meAs(membership: Partial<Membership>) {
  const base = aMe();
  return { ...base, memberships: [{ ...base.memberships[0]!, ...membership }] };
}

function api(options: { role?: Membership['role']; accountable?: boolean; assessment?: ReturnType<typeof anAssessment>; extra?: Routes } = {}): Routes {
  const assessment = options.assessment ?? anAssessment();
  return {
    'GET /api/v1/auth/me': { status: 200, body: meAs({ role: options.role ?? 'owner', accountableIndividual: options.accountable ?? true }) },
    [`GET ${org}/assessments`]: { status: 200, body: { items: [summaryOf(assessment)], nextCursor: null } },
    [`GET ${org}/assessments/${ASSESSMENT_ID}`]: { status: 200, body: assessment },
    [`GET ${org}/assessments/${ASSESSMENT_ID}/score`]: { status: 200, body: aScore() },
    [`GET /api/v1/frameworks/${framework.id}/versions/${framework.version}`]: { status: 200, body: framework },
    [`GET ${org}/members`]: {
      status: 200,
      body: { items: [aMember(), aMember({ userId: OTHER_ID, name: 'Sam Patel', email: 'sam@example.org', role: 'contributor', accountableIndividual: false })], nextCursor: null },
    },
    [`GET ${org}/profile`]: { status: 200, body: aProfileResponse() },
    ...options.extra,
  };
}

describe('auditor mode', () => {
  it('shows every answer in the questionnaire with no write controls at all', async () => {
    stubFetch(api({ role: 'auditor', accountable: false, assessment: anAssessment({ answers: [anAnswer({ value: 2, comment: 'Minutes 2026-03' })] }) }));
    renderApp('/questionnaire');

    expect(await screen.findByRole('heading', { name: 'Governance and accountability', level: 2 })).toBeTruthy();
    const main = screen.getByRole('main');
    expect(within(main).getByText('Minutes 2026-03')).toBeTruthy();
    expect(within(main).queryAllByRole('radio')).toHaveLength(0);
    expect(within(main).queryAllByRole('textbox')).toHaveLength(0);
    expect(within(main).queryAllByRole('combobox')).toHaveLength(0);
    expect(within(main).getByText('Your role can read every answer but not change them.')).toBeTruthy();
  });

  it('shows the review page without review, submit or sign-off controls', async () => {
    stubFetch(api({ role: 'auditor', accountable: false, assessment: anAssessment({ answers: [anAnswer({ authorId: OTHER_ID })] }) }));
    renderApp('/review');

    expect(await screen.findByText(/by Sam Patel/)).toBeTruthy();
    const main = screen.getByRole('main');
    expect(within(main).queryByRole('button', { name: /Approve|Return|Submit|Sign/ })).toBeNull();
    expect(within(main).queryByRole('checkbox')).toBeNull();
  });

  it('offers "Record independent verification" once the assessment is signed', async () => {
    const signed = anAssessment({
      status: 'signed',
      signedAt: '2026-11-28T10:00:00.000Z',
      signature,
    });
    const { calls } = stubFetch(
      api({
        role: 'auditor',
        accountable: false,
        assessment: signed,
        extra: { [`POST ${org}/assessments/${ASSESSMENT_ID}/verification`]: { status: 200, body: signed } },
      }),
    );
    renderApp('/review');

    expect(await screen.findByRole('heading', { name: /Signed off and locked/ })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Note (optional)'), { target: { value: 'Sampled 10 answers' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record independent verification' }));

    expect(await screen.findByText('Verification recorded')).toBeTruthy();
    expect(JSON.parse(calls.find((c) => c.method === 'POST')?.init?.body as string)).toEqual({ note: 'Sampled 10 answers' });
  });

  it('shows the profile read-only, without the wizard', async () => {
    stubFetch(
      api({
        role: 'auditor',
        accountable: false,
        extra: {
          [`GET ${org}/profile`]: { status: 200, body: aProfileResponse({ profile: anAssessment().profileSnapshot, version: 1 }) },
          [`GET ${org}/exposure`]: { status: 200, body: { items: [] } },
          [`GET ${org}/applicability`]: { status: 200, body: { framework: { id: framework.id, version: framework.version }, applicableCount: 0, criticalCount: 0, items: [] } },
        },
      }),
    );
    renderApp('/organisation/profile');

    expect(await screen.findByRole('heading', { name: 'Organisation profile', level: 2 })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Next|Save profile/ })).toBeNull();
    expect(within(screen.getByRole('main')).queryAllByRole('checkbox')).toHaveLength(0);
  });
});

describe('review and sign-off', () => {
  it('lets a reviewer approve others’ answers and N/A justifications, but not their own', async () => {
    const assessment = anAssessment({
      status: 'in_review',
      answers: [
        anAnswer({ questionId: 'GOV-01', authorId: ME_ID }),
        anAnswer({ questionId: 'GOV-02', authorId: OTHER_ID, value: 'not_applicable', justification: 'We have no staff' }),
        anAnswer({ questionId: 'GOV-03', authorId: OTHER_ID, value: 1 }),
      ],
    });
    const { calls } = stubFetch(api({ assessment, extra: { [`POST ${org}/assessments/${ASSESSMENT_ID}/reviews`]: { status: 200, body: assessment } } }));
    renderApp('/review');

    expect(await screen.findByText('You answered this, so another owner or assessor must review it.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approve GOV-01' })).toBeNull();
    expect(screen.getByText('1 “not applicable” justification to approve')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Approve N/A justification GOV-02' }));
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/reviews'))).toHaveLength(1));
    expect(JSON.parse(calls.find((c) => c.path.endsWith('/reviews'))?.init?.body as string)).toEqual({ items: [{ questionId: 'GOV-02', decision: 'approve' }] });

    fireEvent.click(screen.getByRole('button', { name: 'Return with comment GOV-03' }));
    fireEvent.click(screen.getByRole('button', { name: 'Return GOV-03' }));
    expect(await screen.findByText('Say what needs to change when returning an item')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('What needs to change in GOV-03? (required)'), { target: { value: 'Attach the RACI' } });
    fireEvent.click(screen.getByRole('button', { name: 'Return GOV-03' }));
    await waitFor(() => expect(calls.filter((c) => c.path.endsWith('/reviews'))).toHaveLength(2));
    expect(JSON.parse(calls.filter((c) => c.path.endsWith('/reviews'))[1]?.init?.body as string)).toEqual({
      items: [{ questionId: 'GOV-03', decision: 'return', comment: 'Attach the RACI' }],
    });
  });

  it('signs exactly the generated statement shown, only after acknowledging each exception and "I have read and agree", then shows the lock', async () => {
    const assessment = anAssessment({ status: 'in_review' });
    const signed = anAssessment({ status: 'signed', signature });
    const { calls } = stubFetch(
      api({
        assessment,
        extra: {
          [`GET ${org}/assessments/${ASSESSMENT_ID}/attestation-check`]: {
            status: 200,
            body: {
              exceptions: [{ id: 'unknown_answer:GOV-02', kind: 'unknown_answer', questionId: 'GOV-02', message: 'GOV-02 is answered "unknown".' }],
              unqualified: false,
              statement: STATEMENT,
            },
          },
          [`POST ${org}/assessments/${ASSESSMENT_ID}/sign-off`]: { status: 200, body: signed },
        },
      }),
    );
    renderApp('/review');

    const statement = await screen.findByTestId('attestation-statement');
    expect(statement.textContent).toBe(STATEMENT);
    const sign = screen.getByRole('button', { name: 'Sign and lock the assessment' });
    fireEvent.click(screen.getByLabelText('I have read and agree'));
    expect((sign as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('I acknowledge the exception numbered above'));
    expect((sign as HTMLButtonElement).disabled).toBe(true);
    // Sign-off re-authentication (docs/API.md): the password is the last step.
    fireEvent.change(screen.getByLabelText(/Your password/), { target: { value: 'my passphrase' } });
    expect((sign as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(sign);

    expect(await screen.findByRole('heading', { name: /Signed off and locked/ })).toBeTruthy();
    const body = JSON.parse(calls.find((c) => c.path.endsWith('/sign-off'))?.init?.body as string);
    expect(body).toEqual({ statement: STATEMENT, acknowledged: ['unknown_answer:GOV-02'], reauth: { password: 'my passphrase' } });
    expect(screen.queryByRole('button', { name: 'Sign and lock the assessment' })).toBeNull();
  });

  it('does not offer sign-off to a member who is not the accountable individual', async () => {
    stubFetch(api({ role: 'assessor', accountable: false, assessment: anAssessment({ status: 'in_review' }) }));
    renderApp('/review');
    expect(await screen.findByText(/The accountable individual signs it once the reviews are done/)).toBeTruthy();
    expect(screen.queryByText('I have read and agree')).toBeNull();
  });
});

describe('overview', () => {
  it('reads everything from the one dashboard request: band, score, why, trend with its table, actions, ready to attest', async () => {
    const { calls } = stubFetch(api({ extra: { [`GET ${org}/dashboard`]: { status: 200, body: aDashboard() } } }));
    renderApp('/');

    expect(await screen.findByTestId('overall-score')).toBeTruthy();
    expect(screen.getByTestId('overall-score').textContent).toContain('42');
    expect(screen.getAllByText(/Red · Not ready/).length).toBeGreaterThan(0);
    expect(screen.getByText('Red: HASH-01 is critical and counts as level 1.')).toBeTruthy();
    expect(screen.getByText('Capped by:')).toBeTruthy();
    expect(screen.getByText('Score by domain (0–100, higher is better)')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Critical controls' })).toBeTruthy();
    // The trend is an image with a text summary and a table of the same figures.
    expect(screen.getByRole('img', { name: /Score trend\. Score went from 31 \(Review 2025\) to 42/ })).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Score trend, oldest first' })).getByText('Review 2025')).toBeTruthy();
    expect(screen.getByText('1 overdue')).toBeTruthy();
    // Overdue actions are named by their short number, as one unbroken label, then their title.
    expect(screen.getByText('A-001').className).toBe('action-number');
    expect(screen.getByText(/3 exceptions to resolve or acknowledge/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'See them in review & sign-off' }).getAttribute('href')).toBe(`/review?assessment=${ASSESSMENT_ID}`);
    const orgCalls = calls.filter((c) => c.path.startsWith(org));
    expect(orgCalls.map((c) => c.path)).toEqual([`${org}/dashboard`]);
  });

  it('asks a manager to describe the organisation before anything else', async () => {
    stubFetch(api({ extra: { [`GET ${org}/dashboard`]: { status: 200, body: aDashboard({ profile: { described: false, updatedAt: null }, current: null, trend: [] }) } } }));
    renderApp('/');
    expect(await screen.findByRole('link', { name: 'Describe your organisation' })).toBeTruthy();
  });
});

describe('another organisation\'s address', () => {
  it('shows not-found for an assessment id this organisation does not have', async () => {
    stubFetch(api());
    renderApp(`/questionnaire?assessment=${OTHER_ID}`);
    expect(await screen.findByRole('heading', { name: 'Assessment not found' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Governance and accountability' })).toBeNull();
  });
});

describe('audit log', () => {
  it('pages the log and shows where the chain breaks', async () => {
    const entry = (seq: number) => ({
      seq,
      id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      occurredAt: '2026-11-28T09:30:00.000Z',
      actorId: ME_ID,
      action: 'answer.updated',
      entityType: 'answer',
      entityId: `${ASSESSMENT_ID}/GOV-01`,
      data: {},
      prevHash: 'a'.repeat(64),
      hash: 'b'.repeat(64),
    });
    stubFetch(
      api({
        extra: {
          [`GET ${org}/audit-log`]: [
            { status: 200, body: { items: [entry(1), entry(2)], nextCursor: 'c2' } },
            { status: 200, body: { items: [entry(3)], nextCursor: null } },
          ],
          [`GET ${org}/audit-log/verify`]: {
            status: 200,
            body: { intact: false, checked: 3, firstBreak: { seq: 2, reason: 'hash mismatch' }, drift: [{ table: 'answers', id: 'GOV-01', reason: 'value differs' }] },
          },
        },
      }),
    );
    renderApp('/audit-log');

    expect(await screen.findAllByText('answer.updated')).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Later entries' }));
    await waitFor(() => expect(screen.getAllByText('answer.updated')).toHaveLength(1));

    fireEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    expect(await screen.findByText('Chain NOT intact')).toBeTruthy();
    expect(screen.getByText('First break at entry #2: hash mismatch')).toBeTruthy();
    expect(screen.getByText(/value differs/)).toBeTruthy();
  });
});
