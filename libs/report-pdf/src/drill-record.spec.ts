import { extractText, getDocumentProxy } from 'unpdf';

import { type DrillRecordModel, DrillRecordModelError, formatDrillTime, renderDrillRecord } from './drill-record.js';

const model: DrillRecordModel = {
  drillId: '6f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c',
  organisation: { id: '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c', name: 'Example Files Ltd' },
  scenario: {
    id: 'corporate-laptop',
    title: 'A laptop handed in for repair',
    setting: 'corporate_device',
    summary: 'A technician repairing a company laptop sees file names that suggest abuse images.',
    libraryVersion: '1.0.0',
    legalReferences: [{ label: 'Sexual Offences Act 2003 s.46', url: 'https://legislation.gov.uk/ukpga/2003/42/section/46/2024-01-31' }],
    sources: [{ url: 'https://www.iwf.org.uk/report', why: 'Where to report online material.' }],
  },
  facilitator: 'Fay Facilitator',
  participants: [
    { name: 'Ian IT', role: 'IT or security engineer' },
    { name: 'Lee Legal', role: 'Legal or compliance' },
  ],
  startedAt: '2026-12-08T09:00:00Z',
  finishedAt: '2026-12-08T09:52:10Z',
  elapsedMs: 47 * 60_000 + 5_000,
  milestones: [
    { label: 'Escalation', elapsedMs: 4 * 60_000 + 12_000, decision: 'Who does the technician tell?' },
    { label: 'Isolation', elapsedMs: 19 * 60_000, decision: 'How is the device handled?' },
    { label: 'Report decision', elapsedMs: null, decision: 'Who contacts the police?' },
  ],
  timeline: [
    { elapsedMs: 0, at: '2026-12-08T09:00:00Z', who: 'Fay Facilitator', what: 'Started the drill; revealed “What the technician saw”' },
    { elapsedMs: 252_000, at: '2026-12-08T09:04:12Z', who: 'Ian IT', what: 'Decision on escalate: called the incident lead' },
  ],
  decisions: [
    {
      inject: 'What the technician saw',
      prompt: 'Who does the technician tell?',
      role: 'IT or security engineer',
      goodPractice: ['Calls the named incident lead.'],
      responses: [{ who: 'Ian IT', elapsedMs: 252_000, text: 'Called the incident lead and told nobody else.', rating: 'as_expected', mistakes: [] }],
    },
    { inject: 'What the technician saw', prompt: 'What does the technician do right now?', role: 'IT or security engineer', goodPractice: ['Stops.'], responses: [] },
  ],
  notReached: ['HR and the police'],
  lessons: ['The deputy incident lead’s number was out of date.'],
  followUps: ['Update the playbook contact list'],
  exercisedQuestions: [{ id: 'ENT-04', text: 'Is there a tested playbook for discovering suspected CSAM?' }],
  linkedTo: 'CSAM controls review 2026 (draft): ENT-04',
};

async function textOf(pdf: Buffer): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

describe('drill record PDF', () => {
  it('is deterministic: the same model gives the same bytes', async () => {
    const [a, b] = await Promise.all([renderDrillRecord(model), renderDrillRecord(model)]);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
    const other = await renderDrillRecord({ ...model, lessons: ['Another lesson.'] });
    expect(other.equals(a)).toBe(false);
  });

  it('reads back the timeline, milestones, decisions against good practice, lessons and follow-ups', async () => {
    const text = await textOf(await renderDrillRecord(model));
    for (const expected of [
      'Drill record: A laptop handed in for repair',
      'Example Files Ltd',
      'Escalation',
      '4:12',
      'not reached',
      'Called the incident lead and told nobody else.',
      'As expected',
      'No decision was recorded for this step.',
      'HR and the police',
      'The deputy incident lead’s number was out of date.',
      'Update the playbook contact list',
      'ENT-04',
      'Exercise evidence: it counts once someone other than the facilitator has opened and accepted it.',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('refuses a model whose dates cannot be read', async () => {
    await expect(renderDrillRecord({ ...model, finishedAt: 'yesterday' })).rejects.toBeInstanceOf(DrillRecordModelError);
  });

  it('writes drill time as m:ss under an hour and h:mm:ss above', () => {
    expect(formatDrillTime(0)).toBe('0:00');
    expect(formatDrillTime(252_000)).toBe('4:12');
    expect(formatDrillTime(3_723_000)).toBe('1:02:03');
  });
});
