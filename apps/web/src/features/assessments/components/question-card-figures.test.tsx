import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { anEnvelope, stubFetch } from '@/testing/fetch-stub';
import { aMember, anAnswer, aScore, ASSESSMENT_ID, ORG_ID, question } from '@/testing/fixtures';
import { renderWithClient } from '@/testing/render-with-client';

import { QuestionCard } from './question-card';

const PUT = `PUT /api/v1/orgs/${ORG_ID}/assessments/${ASSESSMENT_ID}/answers/TRN-06`;
const SCORE = `GET /api/v1/orgs/${ORG_ID}/assessments/${ASSESSMENT_ID}/score`;
const LIST = `GET /api/v1/orgs/${ORG_ID}/assessments`;
const FIGURES = { detections: 40, reportable: 12, reported: 10, medianHoursToReport: 6.5 };

function renderCard(id: string, answer = anAnswer({ questionId: id, answered: false, value: null, version: 0 }), canAnswer = true) {
  return renderWithClient(
    <QuestionCard orgId={ORG_ID} assessmentId={ASSESSMENT_ID} question={question(id)} answer={answer} scoreItem={undefined} canAnswer={canAnswer} members={[aMember()]} autosaveDelayMs={10} />,
  );
}

const field = (name: string) => screen.getByLabelText<HTMLInputElement>(name);
const type = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });
const errorOf = (name: string) => document.getElementById(field(name).getAttribute('aria-describedby')?.split(' ').find((id) => id.endsWith('-error')) ?? '')?.textContent ?? '';

describe('QuestionCard detection figures (TRN-06)', () => {
  it('shows four number fields under the closing question', () => {
    stubFetch({});
    renderCard('TRN-06');
    for (const name of ['Detections', 'Reportable', 'Reported', 'Median hours to report']) expect(field(name).type).toBe('number');
    screen.getByText('Figures for the last 12 months');
  });

  it('does not show them on a question that takes no figures', () => {
    stubFetch({});
    renderCard('GOV-01');
    expect(screen.queryByLabelText('Detections')).toBeNull();
  });

  it('saves the figures with the answer through the autosave', async () => {
    const { calls } = stubFetch({
      [PUT]: { status: 200, body: anAnswer({ questionId: 'TRN-06', value: 4, version: 1, figures: FIGURES }) },
      [SCORE]: { status: 200, body: aScore() },
      [LIST]: { status: 200, body: { items: [], nextCursor: null } },
    });
    renderCard('TRN-06');
    type('Detections', '40');
    type('Reportable', '12');
    type('Reported', '10');
    type('Median hours to report', '6.5');
    fireEvent.click(screen.getByRole('radio', { name: /^Yes \(4\)/ }));
    expect(await screen.findByText('Saved')).toBeTruthy();
    const puts = calls.filter((c) => c.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(JSON.parse(puts[0]?.init?.body as string)).toEqual({ value: 4, figures: FIGURES });
  });

  it('fills the fields from the saved answer and sends blank hours as null', async () => {
    const { calls } = stubFetch({
      [PUT]: { status: 200, body: anAnswer({ questionId: 'TRN-06', value: 4, version: 2, figures: { ...FIGURES, medianHoursToReport: null } }) },
      [SCORE]: { status: 200, body: aScore() },
      [LIST]: { status: 200, body: { items: [], nextCursor: null } },
    });
    renderCard('TRN-06', anAnswer({ questionId: 'TRN-06', value: 4, version: 1, figures: FIGURES }));
    expect(field('Reported').value).toBe('10');
    expect(field('Median hours to report').value).toBe('6.5');
    type('Median hours to report', '');
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1));
    expect(JSON.parse(calls.find((c) => c.method === 'PUT')?.init?.body as string)).toEqual({ value: 4, figures: { ...FIGURES, medianHoursToReport: null } });
  });

  it('shows a field error and sends nothing when the figures do not add up or a count is missing', async () => {
    const { calls } = stubFetch({ [SCORE]: { status: 200, body: aScore() } });
    renderCard('TRN-06', anAnswer({ questionId: 'TRN-06', value: 4, version: 1, figures: null }));
    type('Detections', '5');
    type('Reportable', '6');
    type('Reported', '6');
    await waitFor(() => expect(errorOf('Reportable')).toMatch(/reportable \(6\) cannot exceed detections \(5\)/));
    type('Reported', '');
    await waitFor(() => expect(errorOf('Reported')).toMatch(/Enter the number of reports made/));
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
  });

  it('shows the field the server refused under that field', async () => {
    stubFetch({
      [PUT]: {
        status: 400,
        body: anEnvelope('VALIDATION_FAILED', 'Check the figures.', [{ path: 'figures.detections', message: 'detections must be at most 1,000,000,000' }]),
      },
      [SCORE]: { status: 200, body: aScore() },
    });
    renderCard('TRN-06', anAnswer({ questionId: 'TRN-06', value: 4, version: 1, figures: null }));
    type('Detections', '1');
    type('Reportable', '0');
    type('Reported', '0');
    await waitFor(() => expect(errorOf('Detections')).toMatch(/at most 1,000,000,000/));
  });

  it('shows saved figures read-only to someone who cannot answer', () => {
    stubFetch({});
    renderCard('TRN-06', anAnswer({ questionId: 'TRN-06', value: 4, version: 1, figures: FIGURES }), false);
    expect(screen.getByTestId('figures-TRN-06').textContent).toBe('Last 12 months: 40 detections, 12 reportable, 10 reported, median 6.5 hours to report.');
  });
});
