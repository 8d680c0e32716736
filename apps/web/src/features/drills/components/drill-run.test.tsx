import type { DrillResponse } from '@hoh/contracts';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { stubFetch } from '@/testing/fetch-stub';
import { ME_ID, ORG_ID, OTHER_ID } from '@/testing/fixtures';
import { renderWithClient } from '@/testing/render-with-client';

import { DrillRun, drillTime } from './drill-run';

const DRILL_ID = '5a1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c';
const EVIDENCE_ID = '6b1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c';

const aDrill = (overrides: Partial<DrillResponse> = {}, facilitatorId = OTHER_ID): DrillResponse => ({
  id: DRILL_ID,
  scenarioId: 'corporate-laptop',
  libraryVersion: '1.0.0',
  title: 'A laptop handed in for repair',
  setting: 'corporate_device',
  status: 'running',
  facilitator: { userId: facilitatorId, name: 'Fran Facilitator' },
  participants: [{ userId: ME_ID, name: 'Ivo Engineer', roleId: 'it_security', roleTitle: 'IT or security engineer' }],
  startedAt: '2026-12-08T09:00:00.000Z',
  pausedAt: null,
  finishedAt: null,
  elapsedMs: 252_000,
  injectCount: 3,
  injects: [
    {
      id: 'found',
      title: 'What the technician saw',
      text: 'A desktop technician running a disk check sees a folder of thumbnails.',
      atMinute: 0,
      revealedAt: '2026-12-08T09:00:00.000Z',
      decisions: [
        {
          id: 'escalate',
          prompt: 'Who does the technician tell?',
          role: 'it_security',
          milestone: 'escalation',
          goodPractice: facilitatorId === ME_ID ? ['Calls the named incident lead.'] : null,
          commonMistakes: facilitatorId === ME_ID ? [{ id: 'forward-to-manager', text: 'Walks the laptop over to the line manager.' }] : null,
        },
      ],
    },
  ],
  timeline: [],
  milestones: { escalation: null, isolation: null, report_decision: null },
  lessons: [],
  followUps: [],
  record: null,
  youFacilitate: facilitatorId === ME_ID,
  version: 3,
  ...overrides,
});

describe('a drill being run', () => {
  it('shows a participant the inject without the answer sheet, and records their decision against the version they read', async () => {
    const { calls } = stubFetch({ [`POST /api/v1/orgs/${ORG_ID}/drills/${DRILL_ID}/decisions`]: { status: 201, body: aDrill({ version: 4 }) } });
    renderWithClient(<DrillRun orgId={ORG_ID} drill={aDrill()} youId={ME_ID} />);
    expect(screen.getByText('What the technician saw')).toBeTruthy();
    expect(screen.queryByText('Expected good practice and common mistakes')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reveal next inject' })).toBeNull();
    expect(screen.queryByLabelText('Against good practice')).toBeNull();
    fireEvent.change(screen.getByLabelText('What was decided'), { target: { value: 'Called the incident lead.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record decision' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    const init = calls[0]!.init!;
    expect(new Headers(init.headers).get('If-Match')).toBe('"3"');
    expect(JSON.parse(init.body as string)).toEqual({ injectId: 'found', decisionId: 'escalate', decidedBy: ME_ID, response: 'Called the incident lead.' });
  });

  it('gives the facilitator the answer sheet, the rating and the controls; revealing names the version', async () => {
    const { calls } = stubFetch({ [`POST /api/v1/orgs/${ORG_ID}/drills/${DRILL_ID}/reveal`]: { status: 200, body: aDrill({ version: 4 }, ME_ID) } });
    renderWithClient(<DrillRun orgId={ORG_ID} drill={aDrill({}, ME_ID)} youId={ME_ID} />);
    expect(screen.getByText('Expected good practice and common mistakes')).toBeTruthy();
    expect(screen.getByLabelText('Against good practice')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reveal next inject' }));
    await waitFor(() => expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([`POST /api/v1/orgs/${ORG_ID}/drills/${DRILL_ID}/reveal`]));
    expect(new Headers(calls[0]!.init!.headers).get('If-Match')).toBe('"3"');
  });

  it('once finished, links the record PDF and lists the follow-ups on the remediation board', () => {
    stubFetch({});
    const finished = aDrill({
      status: 'finished',
      finishedAt: '2026-12-08T09:40:00.000Z',
      followUps: ['A-007 Update the playbook contact list'],
      record: {
        evidenceId: EVIDENCE_ID,
        assessmentId: null,
        linkedQuestionIds: [],
        pdfSha256: 'a'.repeat(64),
        manifest: { drillId: DRILL_ID, organisationId: ORG_ID, evidenceId: EVIDENCE_ID, finishedAt: '2026-12-08T09:40:00.000Z', pdfSha256: 'a'.repeat(64) },
        signature: 'sig',
        keyId: 'key',
      },
    });
    renderWithClient(<DrillRun orgId={ORG_ID} drill={finished} youId={ME_ID} />);
    expect(screen.getByRole('link', { name: 'Open the drill record (PDF)' }).getAttribute('href')).toBe(`/api/v1/orgs/${ORG_ID}/evidence/${EVIDENCE_ID}/content`);
    expect(screen.getByRole('list', { name: 'Follow-up actions on the remediation board' }).textContent).toContain('A-007 Update the playbook contact list');
    expect(screen.queryByRole('form', { name: 'Add a note' })).toBeNull();
  });

  it('lets a member who is not in the drill read it but record nothing', () => {
    stubFetch({});
    renderWithClient(<DrillRun orgId={ORG_ID} drill={aDrill({ participants: [] })} youId={ME_ID} />);
    expect(screen.getByText('What the technician saw')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Decision: Who does the technician tell?' })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Add a note' })).toBeNull();
  });

  it('writes drill time as m:ss, and h:mm:ss from an hour', () => {
    expect([drillTime(252_000), drillTime(3_723_000)]).toEqual(['4:12', '1:02:03']);
  });
});
