import type { AnswerResponse, AssessmentResponse } from '@hoh/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { createQueryClient } from '@/lib/query-client';
import { meQueryKey } from '@/features/auth';
import { aMe, stubFetch } from '@/testing/fetch-stub';
import type { Routes } from '@/testing/fetch-stub';
import { aMember, anAnswer, anAssessment, anEvidence, ASSESSMENT_ID, framework, ME_ID, NOW, ORG_ID, OTHER_ID } from '@/testing/fixtures';

import { ReviewList } from './review-list';
import { answersInQuestionnaireOrder } from './review-model';

const org = `/api/v1/orgs/${ORG_ID}`;
const REVIEWS = `POST ${org}/assessments/${ASSESSMENT_ID}/reviews`;
const EVIDENCE_REVIEWS = `POST ${org}/evidence/reviews`;
const EV_OPENED = 'e1b2c3d4-0000-4000-8000-000000000001';
const EV_UNOPENED = 'e1b2c3d4-0000-4000-8000-000000000002';
const EV_MINE = 'e1b2c3d4-0000-4000-8000-000000000003';
const EV_OPENED_2 = 'e1b2c3d4-0000-4000-8000-000000000004';

const members = [
  aMember(),
  aMember({ userId: OTHER_ID, name: 'Sam Patel', email: 'sam@example.org', role: 'assessor', accountableIndividual: false }),
];

/** The first n questions of the bank in questionnaire order (domain by domain). */
const bankOrder = (n: number) =>
  answersInQuestionnaireOrder(
    framework,
    framework.questions.map((q) => anAnswer({ questionId: q.id })),
  )
    .slice(0, n)
    .map((a) => a.questionId);

const byOther = (questionId: string, overrides: Partial<AnswerResponse> = {}) => anAnswer({ questionId, authorId: OTHER_ID, ...overrides });

function renderList(opts: { answers: AnswerResponse[]; status?: AssessmentResponse['status']; canReview?: boolean; routes?: Routes }) {
  const { calls } = stubFetch({
    [`GET ${org}/evidence/${EV_OPENED}`]: { status: 200, body: anEvidence({ openedByYouAt: NOW }) },
    [`GET ${org}/evidence/${EV_UNOPENED}`]: { status: 200, body: anEvidence({ id: EV_UNOPENED, title: 'Moderation procedure' }) },
    [`GET ${org}/evidence/${EV_MINE}`]: {
      status: 200,
      body: anEvidence({ id: EV_MINE, title: 'My own upload', uploadedBy: { userId: ME_ID, name: 'Alex Morgan' }, openedByYouAt: NOW }),
    },
    [`GET ${org}/evidence/${EV_OPENED_2}`]: {
      status: 200,
      body: anEvidence({ id: EV_OPENED_2, title: 'Detection metrics', kind: 'metrics', openedByYouAt: NOW }),
    },
    ...opts.routes,
  });
  const assessment = anAssessment({ status: opts.status ?? 'in_review', answers: opts.answers });
  // Below the signed-in shell, as on the page: the evidence summary reads the member from /auth/me.
  const queryClient = createQueryClient({ queries: { retry: false } });
  const me = aMe();
  queryClient.setQueryData(meQueryKey, {
    ...me,
    memberships: [{ ...me.memberships[0]!, role: opts.canReview === false ? 'auditor' : 'owner' }],
  });
  const utils = render(
    <QueryClientProvider client={queryClient}>
      <ReviewList
        orgId={ORG_ID}
        assessment={assessment}
        framework={framework}
        userId={ME_ID}
        canReview={opts.canReview ?? true}
        members={members}
      />
    </QueryClientProvider>,
  );
  return { ...utils, calls };
}

const list = () => screen.getByRole('list', { name: 'Answers in questionnaire order' });
const renderedIds = () =>
  within(list())
    .getAllByRole('listitem')
    .flatMap((li) => (li.dataset['question'] ? [li.dataset['question']] : []));
const bodyOf = (calls: ReturnType<typeof renderList>['calls'], key: string) => {
  const call = calls.find((c) => `${c.method} ${c.path}` === key);
  return call ? (JSON.parse(call.init?.body as string) as unknown) : undefined;
};

describe('ReviewList', () => {
  // Downloads are saved through a blob URL, which jsdom does not implement.
  beforeEach(() => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:evidence'), revokeObjectURL: vi.fn() }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  });

  it('lists answers in the bank’s questionnaire order, not alphabetically or as received', () => {
    const ids = bankOrder(8);
    const shuffled = [...ids]
      .sort()
      .reverse()
      .map((id) => byOther(id));
    renderList({ answers: shuffled });
    expect(renderedIds()).toEqual(ids);
  });

  it('opens an answer’s full history from the audit log (every version and decision, who and when), fetched only when asked for', async () => {
    const [id] = bankOrder(1);
    const entry = (seq: number, action: string, data: Record<string, unknown>, actorId = OTHER_ID) => ({
      seq,
      id: `a0000000-0000-4000-8000-00000000000${String(seq)}`,
      occurredAt: NOW,
      actorId,
      action,
      entityType: 'answer',
      entityId: `${ASSESSMENT_ID}/${id!}`,
      data,
      prevHash: '0'.repeat(64),
      hash: '1'.repeat(64),
    });
    const { calls } = renderList({
      answers: [byOther(id!, { value: 3, version: 2 })],
      routes: {
        [`GET ${org}/audit-log`]: {
          status: 200,
          body: {
            items: [
              entry(1, 'answer.created', { before: null, after: { value: 2 } }),
              entry(2, 'answer.updated', { before: { value: 2 }, after: { value: 3 } }),
              entry(3, 'answer.returned', { comment: 'Attach the minutes' }, ME_ID),
            ],
            nextCursor: null,
          },
        },
      },
    });
    expect(calls.some((c) => c.path.endsWith('/audit-log'))).toBe(false);
    fireEvent.click(screen.getByText(`Full history of ${id!}`));
    const items = await screen.findAllByText(/Sam Patel|Alex Morgan/, { selector: 'details li' });
    expect(items.map((li) => li.textContent?.split(' — ')[0])).toEqual(['Answered level 2', 'Changed level 2 → level 3', 'Returned: “Attach the minutes”']);
    const url = vi.mocked(fetch).mock.calls.map(([input]) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)).find((u) => u.includes('/audit-log'));
    expect(url).toContain(`entityType=answer&entityId=${encodeURIComponent(`${ASSESSMENT_ID}/${id!}`)}`);
  });

  it('shows the chosen level’s descriptor, the comment and the history of each answer', async () => {
    const [id] = bankOrder(1);
    const q = framework.questions.find((x) => x.id === id)!;
    const descriptor = q.scale.kind === 'maturity' ? q.scale.levels.find((l) => l.level === 3)!.descriptor : q.scale.options[0]!.descriptor;
    const value = q.scale.kind === 'maturity' ? 3 : q.scale.options[0]!.value;
    renderList({
      answers: [
        byOther(id!, {
          value,
          comment: 'Rolled out in March.',
          evidenceIds: [EV_OPENED],
          review: { status: 'returned', reviewerId: ME_ID, reviewedAt: NOW, comment: 'Link the policy', naApproved: false },
        }),
      ],
    });
    const item = within(list()).getAllByRole('listitem')[0]!;
    expect(item.textContent).toContain(descriptor);
    expect(item.textContent).toContain('Rolled out in March.');
    const history = within(item).getByRole('list', { name: `History of ${id!}` });
    expect(history.textContent).toContain('Answered by Sam Patel');
    expect(history.textContent).toContain('Returned by Alex Morgan');
    expect(history.textContent).toContain('Link the policy');
    await within(item).findByText('Hash-matching policy v3');
  });

  it('selects every answer waiting for review (not its own, not approved ones) and approves them in one request with one comment', async () => {
    const [a, b, c, d] = bankOrder(4);
    const approved = { status: 'approved' as const, reviewerId: ME_ID, reviewedAt: NOW, comment: null, naApproved: false };
    const { calls } = renderList({
      answers: [byOther(a!), byOther(b!), anAnswer({ questionId: c!, authorId: ME_ID }), byOther(d!, { review: approved })],
      routes: { [REVIEWS]: { status: 200, body: anAssessment({ status: 'in_review' }) } },
    });
    fireEvent.click(screen.getByLabelText('Select all waiting for review (2)'));
    expect(screen.getByText('2 answers selected')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Comment for the selected answers (required to return them)'), {
      target: { value: 'Checked against the policy' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Approve selected (2)' }));
    await screen.findByText('Approved 2 answers.');
    expect(bodyOf(calls, REVIEWS)).toEqual({
      items: [
        { questionId: a, decision: 'approve', comment: 'Checked against the policy' },
        { questionId: b, decision: 'approve', comment: 'Checked against the policy' },
      ],
    });
  });

  it('returns the selected answers only with a comment, and says so when it is missing', async () => {
    const [a, b] = bankOrder(2);
    const { calls } = renderList({ answers: [byOther(a!), byOther(b!)], routes: { [REVIEWS]: { status: 200, body: anAssessment() } } });
    fireEvent.click(screen.getByLabelText(`Select ${b!}`));
    fireEvent.click(screen.getByRole('button', { name: 'Return selected (1)' }));
    expect(screen.getByText('Say what needs to change before returning answers')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.change(screen.getByLabelText('Comment for the selected answers (required to return them)'), {
      target: { value: 'Attach the signed policy' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Return selected (1)' }));
    await screen.findByText('Returned 1 answer.');
    expect(bodyOf(calls, REVIEWS)).toEqual({ items: [{ questionId: b, decision: 'return', comment: 'Attach the signed policy' }] });
  });

  it('keys: j/↓ and k/↑ move between answers, x selects, a approves the selection, r focuses the comment; typing in the comment is not a shortcut', async () => {
    const [a, b, c] = bankOrder(3);
    const { calls } = renderList({
      answers: [byOther(a!), byOther(b!), byOther(c!)],
      routes: { [REVIEWS]: { status: 200, body: anAssessment() } },
    });
    const items = () =>
      within(list())
        .getAllByRole('listitem')
        .filter((li) => li.dataset['question']);
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(document.activeElement).toBe(items()[0]);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(items()[1]);
    fireEvent.keyDown(document.activeElement!, { key: 'j' });
    fireEvent.keyDown(document.activeElement!, { key: 'k' });
    expect(document.activeElement).toBe(items()[1]);
    fireEvent.keyDown(document.activeElement!, { key: 'x' });
    expect(screen.getByLabelText<HTMLInputElement>(`Select ${b!}`).checked).toBe(true);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    fireEvent.keyDown(document.activeElement!, { key: 'x' });
    expect(screen.getByText('2 answers selected')).toBeTruthy();

    fireEvent.keyDown(document.activeElement!, { key: 'r' });
    const comment = screen.getByLabelText('Comment for the selected answers (required to return them)');
    expect(document.activeElement).toBe(comment);
    fireEvent.keyDown(comment, { key: 'a' });
    expect(calls.some((x) => x.method === 'POST')).toBe(false);

    fireEvent.keyDown(items()[2]!, { key: 'a' });
    await screen.findByText('Approved 2 answers.');
    expect(bodyOf(calls, REVIEWS)).toEqual({
      items: [
        { questionId: b, decision: 'approve' },
        { questionId: a, decision: 'approve' },
      ],
    });
    expect(screen.getByLabelText('Keyboard shortcuts').textContent).toContain('approve');
  });

  it('keys pressed on another panel of the page (e.g. a sign-off checkbox) do nothing in the review', () => {
    const [a] = bankOrder(1);
    const { calls } = renderList({ answers: [byOther(a!)] });
    const outside = document.createElement('input');
    outside.type = 'checkbox';
    document.body.append(outside);
    outside.focus();
    fireEvent.keyDown(outside, { key: 'j' });
    fireEvent.keyDown(outside, { key: 'x' });
    fireEvent.keyDown(outside, { key: 'a' });
    expect(document.activeElement).toBe(outside);
    expect(screen.getByText('0 answers selected')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    outside.remove();
  });

  it('a on an answer with nothing selected approves that answer alone', async () => {
    const [a, b] = bankOrder(2);
    const { calls } = renderList({ answers: [byOther(a!), byOther(b!)], routes: { [REVIEWS]: { status: 200, body: anAssessment() } } });
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(document.activeElement!, { key: 'j' });
    fireEvent.keyDown(document.activeElement!, { key: 'a' });
    await screen.findByText('Approved 1 answer.');
    expect(bodyOf(calls, REVIEWS)).toEqual({ items: [{ questionId: b, decision: 'approve' }] });
  });

  it('offers no approve, return or selection on the reviewer’s own answers', () => {
    const [a, b] = bankOrder(2);
    renderList({ answers: [anAnswer({ questionId: a!, authorId: ME_ID }), byOther(b!)] });
    const [own, other] = within(list())
      .getAllByRole('listitem')
      .filter((li) => li.dataset['question']);
    expect(within(own!).queryByRole('button')).toBeNull();
    expect(within(own!).queryByRole('checkbox')).toBeNull();
    expect(own!.textContent).toContain('You answered this');
    expect(within(other!).getByRole('button', { name: `Approve ${b!}` })).toBeTruthy();
  });

  it('offers no review control at all to a member who may not review, or on a signed assessment', async () => {
    const [a] = bankOrder(1);
    for (const opts of [{ canReview: false }, { status: 'signed' as const }]) {
      const { unmount } = renderList({ answers: [byOther(a!, { evidenceIds: [EV_OPENED] })], ...opts });
      await screen.findAllByText('Hash-matching policy v3');
      expect(screen.queryByRole('checkbox')).toBeNull();
      expect(screen.queryByRole('button', { name: /Approve|Return|Accept/ })).toBeNull();
      expect(screen.getByLabelText('Keyboard shortcuts').textContent).not.toContain('approve');
      // Opening evidence is reading, which every member may do.
      expect(screen.getAllByRole('button', { name: 'Download Hash-matching policy v3' }).length).toBeGreaterThan(0);
      unmount();
    }
  });

  it('accepts, in one request, all the evidence the reviewer opened and did not add; Accept on one item sends that one', async () => {
    const [a, b, c] = bankOrder(3);
    const accepted = { status: 200, body: { items: [anEvidence({ status: 'accepted', openedByYouAt: NOW, counts: true })] } };
    const { calls } = renderList({
      answers: [
        byOther(a!, { evidenceIds: [EV_OPENED, EV_UNOPENED] }),
        byOther(b!, { evidenceIds: [EV_MINE, EV_OPENED_2] }),
        byOther(c!, { evidenceIds: [EV_OPENED] }),
      ],
      routes: { [EVIDENCE_REVIEWS]: accepted },
    });
    const evidence = screen.getByRole('region', { name: 'Evidence linked to these answers (4)' });
    await within(evidence).findByText('My own upload');
    await within(evidence).findByText('Detection metrics');
    expect(within(evidence).getByText(/You added this/)).toBeTruthy();
    expect(within(evidence).queryByRole('button', { name: 'Accept My own upload' })).toBeNull();
    expect(within(evidence).queryByRole('button', { name: 'Accept Moderation procedure' })).toBeNull();
    fireEvent.click(within(evidence).getByRole('button', { name: 'Accept all 2 you opened' }));
    await screen.findByText('Accepted 1 evidence item.');
    expect(bodyOf(calls, EVIDENCE_REVIEWS)).toEqual({ evidenceIds: [EV_OPENED, EV_OPENED_2], decision: 'accept' });

    fireEvent.click(within(evidence).getByRole('button', { name: 'Accept Detection metrics' }));
    await waitFor(() => expect(calls.filter((x) => `${x.method} ${x.path}` === EVIDENCE_REVIEWS)).toHaveLength(2));
    expect(JSON.parse(calls.filter((x) => `${x.method} ${x.path}` === EVIDENCE_REVIEWS)[1]!.init?.body as string)).toEqual({
      evidenceIds: [EV_OPENED_2],
      decision: 'accept',
    });
  });

  it('rejects one evidence item only with a reason', async () => {
    const [a] = bankOrder(1);
    const { calls } = renderList({
      answers: [byOther(a!, { evidenceIds: [EV_UNOPENED] })],
      routes: { [EVIDENCE_REVIEWS]: { status: 200, body: { items: [anEvidence({ id: EV_UNOPENED, status: 'rejected' })] } } },
    });
    const evidence = screen.getByRole('region', { name: 'Evidence linked to these answers (1)' });
    fireEvent.click(await within(evidence).findByRole('button', { name: 'Reject Moderation procedure' }));
    const dialog = screen.getByRole('dialog', { name: 'Reject Moderation procedure' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(within(dialog).getByText(/Say why it is rejected/)).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Why is it rejected? (required)'), { target: { value: 'Out of date: 2023 version' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await screen.findByText('Rejected Moderation procedure.');
    expect(bodyOf(calls, EVIDENCE_REVIEWS)).toEqual({
      evidenceIds: [EV_UNOPENED],
      decision: 'reject',
      reason: 'Out of date: 2023 version',
    });
  });

  it('offers Accept once the reviewer has opened the evidence (the open is recorded, then the item fetched again)', async () => {
    const [a] = bankOrder(1);
    let opened = false;
    renderList({
      answers: [byOther(a!, { evidenceIds: [EV_UNOPENED] })],
      routes: {
        [`GET ${org}/evidence/${EV_UNOPENED}`]: () => ({
          status: 200,
          body: anEvidence({ id: EV_UNOPENED, title: 'Moderation procedure', openedByYouAt: opened ? NOW : null }),
        }),
        [`GET ${org}/evidence/${EV_UNOPENED}/content`]: () => {
          opened = true;
          return { status: 200, body: 'pdf bytes' };
        },
      },
    });
    const evidence = screen.getByRole('region', { name: 'Evidence linked to these answers (1)' });
    await within(evidence).findByText('Moderation procedure');
    expect(screen.queryByRole('button', { name: /^Accept/ })).toBeNull();
    fireEvent.click(within(evidence).getByRole('button', { name: 'Download Moderation procedure' }));
    await waitFor(() => expect(within(evidence).getByRole('button', { name: 'Accept Moderation procedure' })).toBeTruthy());
  });
});
