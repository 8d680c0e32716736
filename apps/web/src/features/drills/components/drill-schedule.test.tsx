import type { DrillScheduleResponse } from '@hoh/contracts';
import { screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';

import { stubFetch } from '@/testing/fetch-stub';
import { ORG_ID } from '@/testing/fixtures';
import { renderWithClient } from '@/testing/render-with-client';

import { DrillSchedule, scheduleStateWords, scheduleSummary } from './drill-schedule';
import { PlaybookLinks } from './first-hour-steps';

const DRILL_ID = '5a1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c';
const EVIDENCE_ID = '6b1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c';
const base = { title: 'x', setting: 'platform' as const, lastExercisedAt: null, lastDrillId: null, lastEvidenceId: null, dueAt: null, daysLeft: null };
const SCHEDULE: DrillScheduleResponse = {
  asOf: '2027-01-20T00:00:00.000Z',
  dueSoonDays: 30,
  items: [
    { ...base, scenarioId: 'backup', title: 'A backup restore turns up a folder', setting: 'backup_cloud', state: 'never' },
    { ...base, scenarioId: 'laptop', title: 'A laptop handed in for repair', setting: 'corporate_device', state: 'overdue', lastExercisedAt: '2026-01-05T10:00:00.000Z', lastDrillId: DRILL_ID, lastEvidenceId: EVIDENCE_ID, dueAt: '2027-01-05T10:00:00.000Z', daysLeft: -15 },
    { ...base, scenarioId: 'report', title: 'A user report', state: 'ok', lastExercisedAt: '2026-12-01T10:00:00.000Z', lastDrillId: DRILL_ID, lastEvidenceId: null, dueAt: '2027-12-01T10:00:00.000Z', daysLeft: 315 },
  ],
};
const path = (rest: string) => `/api/v1/orgs/${ORG_ID}/drills${rest}`;

describe('the drill schedule (docs/PRODUCT.md §15.5)', () => {
  it('says in words what each state means, and sums up what is due', () => {
    expect(SCHEDULE.items.map(scheduleStateWords)).toEqual(['Never exercised: due now', 'Overdue by 15 days', 'Up to date']);
    expect(scheduleStateWords({ state: 'due_soon', daysLeft: 12 })).toBe('Due in 12 days');
    expect(scheduleSummary(SCHEDULE)).toBe('1 never exercised, 1 overdue');
    expect(scheduleSummary({ ...SCHEDULE, items: [SCHEDULE.items[2]!] })).toBeNull();
  });

  it('lists each scenario with its last drill and record, and when the next is due', async () => {
    stubFetch({ [`GET ${path('/schedule')}`]: { status: 200, body: SCHEDULE } });
    renderWithClient(
      <MemoryRouter>
        <DrillSchedule orgId={ORG_ID} />
      </MemoryRouter>,
    );
    const table = await screen.findByRole('table', { name: 'Drill schedule' });
    const laptop = within(table).getByText(/A laptop handed in/).closest('tr') as HTMLElement;
    expect(within(laptop).getByText('Overdue by 15 days')).toBeTruthy();
    expect(within(laptop).getByRole('link', { name: 'record' }).getAttribute('href')).toBe(`/api/v1/orgs/${ORG_ID}/evidence/${EVIDENCE_ID}/content`);
    const backup = within(table).getByText(/A backup restore/).closest('tr') as HTMLElement;
    expect(within(backup).getByText('Never')).toBeTruthy();
    expect(within(backup).getByText('Now')).toBeTruthy();
  });
});

describe('the playbook a member reaches from the found-suspected-material page (§15.7)', () => {
  it('links the organisation\'s playbook and last drill record, or says what to do when there is none', async () => {
    stubFetch({
      [`GET ${path('/playbook')}`]: [
        {
          status: 200,
          body: {
            questionId: 'ENT-04',
            playbook: { evidenceId: EVIDENCE_ID, title: 'Discovery playbook v3', kind: 'policy', issuedAt: '2026-06-01T00:00:00.000Z', reviewedAt: null },
            lastDrill: { drillId: DRILL_ID, scenarioId: 'laptop', title: 'A laptop handed in for repair', finishedAt: '2026-12-01T10:00:00.000Z', evidenceId: EVIDENCE_ID },
          },
        },
      ],
    });
    renderWithClient(
      <MemoryRouter>
        <PlaybookLinks membership={{ organisationId: ORG_ID, organisationName: 'Acme' }} />
      </MemoryRouter>,
    );
    expect((await screen.findByRole('link', { name: 'Discovery playbook v3' })).getAttribute('href')).toBe(`/api/v1/orgs/${ORG_ID}/evidence/${EVIDENCE_ID}/open`);
    expect(screen.getByRole('link', { name: 'A laptop handed in for repair' }).getAttribute('href')).toBe(`/drills/${DRILL_ID}`);
    expect(screen.getByRole('link', { name: 'drill record' }).getAttribute('href')).toBe(`/api/v1/orgs/${ORG_ID}/evidence/${EVIDENCE_ID}/content`);
  });

  it('says no playbook is linked yet and offers a drill when none was held', async () => {
    stubFetch({ [`GET ${path('/playbook')}`]: { status: 200, body: { questionId: 'ENT-04', playbook: null, lastDrill: null } } });
    renderWithClient(
      <MemoryRouter>
        <PlaybookLinks membership={{ organisationId: ORG_ID, organisationName: 'Acme' }} />
      </MemoryRouter>,
    );
    expect(await screen.findByText(/No accepted playbook is linked to ENT-04 yet/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'rehearse one' }).getAttribute('href')).toBe('/drills');
  });
});
