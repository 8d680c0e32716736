import type { AnswerResponse } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { anEnvelope, stubFetch } from '@/testing/fetch-stub';
import { aLegalDutyQuestion, aMember, anAnswer, aScore, ASSESSMENT_ID, ME_ID, ORG_ID, OTHER_ID, question } from '@/testing/fixtures';
import { renderWithClient } from '@/testing/render-with-client';

import { QuestionCard } from './question-card';

const PUT = `PUT /api/v1/orgs/${ORG_ID}/assessments/${ASSESSMENT_ID}/answers/GOV-01`;
const SCORE = `GET /api/v1/orgs/${ORG_ID}/assessments/${ASSESSMENT_ID}/score`;
const members = [aMember(), aMember({ userId: OTHER_ID, name: 'Sam Patel', email: 'sam@example.org', role: 'assessor', accountableIndividual: false })];

function renderCard(props: { answer?: AnswerResponse; canAnswer?: boolean; scoreItem?: Parameters<typeof QuestionCard>[0]['scoreItem']; id?: string } = {}) {
  const q = question(props.id ?? 'GOV-01');
  return renderWithClient(
    <QuestionCard
      orgId={ORG_ID}
      assessmentId={ASSESSMENT_ID}
      question={q}
      answer={props.answer}
      scoreItem={props.scoreItem}
      canAnswer={props.canAnswer ?? true}
      members={members}
      autosaveDelayMs={10}
    />,
  );
}

const header = (init: RequestInit | undefined, name: string) => new Headers(init?.headers).get(name);

describe('QuestionCard', () => {
  it('shows all five level descriptors as choices while answering, plus Unknown and Not applicable', () => {
    stubFetch({});
    renderCard();
    const group = screen.getByRole('group', { name: 'Your answer for GOV-01' });
    const q = question('GOV-01');
    if (q.scale.kind !== 'maturity') throw new Error('GOV-01 should be a maturity question');
    for (const level of q.scale.levels) {
      const radio = within(group).getByRole('radio', { name: new RegExp(`^Level ${String(level.level)}`) });
      expect(radio.closest('label')?.textContent).toContain(level.descriptor);
    }
    expect(within(group).getByRole('radio', { name: /^Unknown/ })).toBeTruthy();
    expect(within(group).getByRole('radio', { name: /^Not applicable/ })).toBeTruthy();
    expect(within(group).getAllByRole('radio')).toHaveLength(7);
  });

  it('offers yes / partial / no with their descriptors on a legal-duty question', () => {
    stubFetch({});
    const q = aLegalDutyQuestion();
    renderCard({ id: q.id });
    const group = screen.getByRole('group', { name: `Your answer for ${q.id}` });
    expect(within(group).getByRole('radio', { name: /^Yes \(4\)/ })).toBeTruthy();
    expect(within(group).getByRole('radio', { name: /^Partial \(2\)/ })).toBeTruthy();
    expect(within(group).getByRole('radio', { name: /^No \(0\)/ })).toBeTruthy();
    expect(within(group).queryByRole('radio', { name: /^Level/ })).toBeNull();
  });

  it('autosaves: first with If-None-Match: *, then with If-Match of the saved version, showing Saving… and Saved', async () => {
    const { calls, fetchMock } = stubFetch({
      [PUT]: [
        { status: 200, body: anAnswer({ value: 2, version: 1 }) },
        { status: 200, body: anAnswer({ value: 3, version: 2 }) },
      ],
      [SCORE]: { status: 200, body: aScore() },
      [`GET /api/v1/orgs/${ORG_ID}/assessments`]: { status: 200, body: { items: [], nextCursor: null } },
    });
    // Hold the first save open so "Saving…" can be seen, then let it answer.
    const stubbed = fetchMock.getMockImplementation()!;
    let answerFirst: () => void = () => undefined;
    fetchMock.mockImplementationOnce(
      (input, init) =>
        new Promise<Response>((resolve) => {
          answerFirst = () => resolve(stubbed(input, init));
        }),
    );
    renderCard();

    fireEvent.click(screen.getByRole('radio', { name: /^Level 2/ }));
    expect(screen.getByText('Unsaved changes…')).toBeTruthy();
    expect(await screen.findByText('Saving…')).toBeTruthy();
    answerFirst();
    expect(await screen.findByText('Saved')).toBeTruthy();
    const first = calls.filter((c) => c.method === 'PUT');
    expect(first).toHaveLength(1);
    expect(header(first[0]?.init, 'If-None-Match')).toBe('*');
    expect(header(first[0]?.init, 'If-Match')).toBeNull();
    expect(JSON.parse(first[0]?.init?.body as string)).toEqual({ value: 2 });

    fireEvent.click(screen.getByRole('radio', { name: /^Level 3/ }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2));
    const second = calls.filter((c) => c.method === 'PUT')[1];
    expect(header(second?.init, 'If-Match')).toBe('"1"');
    expect(header(second?.init, 'If-None-Match')).toBeNull();
    expect(await screen.findByText('Saved')).toBeTruthy();
  });

  it('shows the conflict view on 412 with theirs and yours, and overwrites with If-Match of their version', async () => {
    const theirs = anAnswer({ value: 1, version: 5, authorId: OTHER_ID, comment: 'Board minute pending' });
    const { calls } = stubFetch({
      [PUT]: [
        { status: 412, body: { ...anEnvelope('PRECONDITION_FAILED', 'Someone else changed this answer since you read it.'), current: theirs } },
        { status: 200, body: anAnswer({ value: 4, version: 6 }) },
      ],
      [SCORE]: { status: 200, body: aScore() },
      [`GET /api/v1/orgs/${ORG_ID}/assessments`]: { status: 200, body: { items: [], nextCursor: null } },
    });
    renderCard({ answer: anAnswer({ value: 3, version: 4 }) });

    fireEvent.click(screen.getByRole('radio', { name: /^Level 4/ }));

    const conflict = await screen.findByRole('alert', { name: 'Conflict on GOV-01' });
    expect(conflict.textContent).toContain('Sam Patel changed this answer');
    expect(within(conflict).getByRole('heading', { name: 'Theirs (Sam Patel)' })).toBeTruthy();
    expect(within(conflict).getByRole('heading', { name: 'Yours (not saved)' })).toBeTruthy();
    expect(conflict.textContent).toContain('Level 1');
    expect(conflict.textContent).toContain('Level 4');
    expect(conflict.textContent).toContain('Board minute pending');
    expect(screen.getByText(/Not saved — someone else changed this answer/)).toBeTruthy();
    expect(header(calls.find((c) => c.method === 'PUT')?.init, 'If-Match')).toBe('"4"');

    fireEvent.click(within(conflict).getByRole('button', { name: 'Overwrite with mine' }));

    expect(await screen.findByText('Saved')).toBeTruthy();
    const puts = calls.filter((c) => c.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(header(puts[1]?.init, 'If-Match')).toBe('"5"');
    expect(JSON.parse(puts[1]?.init?.body as string)).toEqual({ value: 4 });
    expect(screen.queryByRole('alert', { name: 'Conflict on GOV-01' })).toBeNull();
  });

  it('keeps their answer when asked, without sending anything more', async () => {
    const theirs = anAnswer({ value: 1, version: 5, authorId: OTHER_ID });
    const { calls } = stubFetch({
      [PUT]: { status: 412, body: { ...anEnvelope('PRECONDITION_FAILED', 'Stale'), current: theirs } },
    });
    renderCard({ answer: anAnswer({ value: 3, version: 4 }) });

    fireEvent.click(screen.getByRole('radio', { name: /^Level 4/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Keep theirs' }));

    expect(screen.getByRole<HTMLInputElement>('radio', { name: /^Level 1/ }).checked).toBe(true);
    expect(screen.queryByRole('alert', { name: 'Conflict on GOV-01' })).toBeNull();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
  });

  it('says "Not saved" with a retry when the save fails, and retries', async () => {
    const { calls } = stubFetch({
      [PUT]: [
        { status: 500, body: anEnvelope('INTERNAL_ERROR', 'The server hit an unexpected error.') },
        { status: 200, body: anAnswer({ value: 2, version: 1 }) },
      ],
      [SCORE]: { status: 200, body: aScore() },
      [`GET /api/v1/orgs/${ORG_ID}/assessments`]: { status: 200, body: { items: [], nextCursor: null } },
    });
    renderCard();

    fireEvent.click(screen.getByRole('radio', { name: /^Level 2/ }));
    expect(await screen.findByText(/Not saved — The server hit an unexpected error\./)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Retry saving' }));

    expect(await screen.findByText('Saved')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2);
  });

  it('requires a justification before saving N/A, then sends it', async () => {
    const { calls } = stubFetch({
      [PUT]: { status: 200, body: anAnswer({ value: 'not_applicable', justification: 'No UK users', version: 1 }) },
      [SCORE]: { status: 200, body: aScore() },
      [`GET /api/v1/orgs/${ORG_ID}/assessments`]: { status: 200, body: { items: [], nextCursor: null } },
    });
    renderCard();

    fireEvent.click(screen.getByRole('radio', { name: /^Not applicable/ }));

    expect(await screen.findByText(/Not saved: Say why the question does not apply/)).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Why does this not apply? (required)'), { target: { value: 'No UK users' } });

    expect(await screen.findByText('Saved')).toBeTruthy();
    expect(JSON.parse(calls.find((c) => c.method === 'PUT')?.init?.body as string)).toEqual({
      value: 'not_applicable',
      justification: 'No UK users',
    });
  });

  it('shows how the answer counts when evidence caps it', () => {
    stubFetch({});
    renderCard({
      answer: anAnswer({ value: 4 }),
      scoreItem: { ...aScore().items[0]!, status: 'answered', claimed: 4, effectiveLevel: 2, capReason: 'no_counting_evidence' },
    });
    expect(screen.getByText('Claimed 4, counts as 2: no accepted, unexpired evidence.')).toBeTruthy();
  });

  it('has no inputs at all when the member cannot answer (read-only)', () => {
    stubFetch({});
    renderCard({ canAnswer: false, answer: anAnswer({ value: 3, comment: 'See policy v2', authorId: ME_ID }) });
    expect(screen.queryAllByRole('radio')).toHaveLength(0);
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    expect(screen.getByText('Answer: Level 3')).toBeTruthy();
    expect(screen.getByText('See policy v2')).toBeTruthy();
  });

  it('flags references that are not yet verified', () => {
    stubFetch({});
    renderCard();
    expect(screen.getAllByText('Unverified reference').length).toBeGreaterThan(0);
  });

  it('uploads dropped evidence and shows the 415 refusal message verbatim', async () => {
    const refusal =
      'This file cannot be stored as evidence. It is a JPEG image. Upload a PDF or office document instead. Never upload images, video or audio of people.';
    const { calls } = stubFetch({
      [`POST /api/v1/orgs/${ORG_ID}/evidence`]: { status: 415, body: anEnvelope('UNSUPPORTED_EVIDENCE', refusal) },
    });
    renderCard({ answer: anAnswer() });

    const file = new File(['\u00ff\u00d8\u00ff'], 'policy.pdf', { type: 'application/pdf' });
    fireEvent.drop(screen.getByText(/Drop a PDF, office document/).closest('.dropzone')!, { dataTransfer: { files: [file] } });

    expect(await screen.findByText(refusal)).toBeTruthy();
    expect(screen.getByText('This file was refused')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.init?.body).toBeInstanceOf(FormData);
    expect((post?.init?.body as FormData).get('kind')).toBe('minutes');
    expect(new Headers(post?.init?.headers).get('Content-Type')).toBeNull();
  });
});
