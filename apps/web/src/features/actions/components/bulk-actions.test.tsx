import type { Membership } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch } from '@/testing/fetch-stub';
import type { Routes } from '@/testing/fetch-stub';
import { ACTION_ID, ACTION_ID_2, aMember, anAction, anActionList, anAssessment, framework, ME_ID, ORG_ID, OTHER_ID, summaryOf } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const org = `/api/v1/orgs/${ORG_ID}`;
const THIRD_ID = 'c3c3c3c3-0000-4000-8000-000000000003';

const hashing = anAction({ ownerId: null, suggestedOwnerIds: [OTHER_ID], version: 3 });
const runbook = anAction({ id: ACTION_ID_2, title: 'Write the reporting runbook', ownerId: OTHER_ID, questionIds: ['GOV-02'], version: 7 });

function api(extra: Routes = {}, role: Membership['role'] = 'owner', userId = ME_ID): Routes {
  const me = aMe();
  return {
    'GET /api/v1/auth/me': { status: 200, body: { ...me, user: { ...me.user, id: userId }, memberships: [{ ...me.memberships[0]!, role, accountableIndividual: role === 'owner' }] } },
    [`GET ${org}/assessments`]: { status: 200, body: { items: [summaryOf(anAssessment())], nextCursor: null } },
    [`GET /api/v1/frameworks/${framework.id}/versions/${framework.version}`]: { status: 200, body: framework },
    [`GET ${org}/members`]: {
      status: 200,
      body: {
        items: [
          aMember(),
          aMember({ userId: OTHER_ID, name: 'Sam Patel', email: 'sam@example.org', role: 'contributor', accountableIndividual: false }),
          aMember({ userId: THIRD_ID, name: 'Ada Auditor', email: 'ada@example.org', role: 'auditor', accountableIndividual: false }),
        ],
        nextCursor: null,
      },
    },
    [`GET ${org}/actions`]: { status: 200, body: anActionList([hashing, runbook]) },
    ...extra,
  };
}

const bodyOf = (init: RequestInit | undefined) => JSON.parse(init?.body as string) as unknown;
const bar = () => screen.getByRole('form', { name: 'Change the selected actions' });

describe('remediation board: bulk assign and bulk due date', () => {
  it('selects every action with one box and assigns them all in one request carrying each version, offering the questions’ assignee first', async () => {
    const { calls } = stubFetch(api({ [`PATCH ${org}/actions`]: { status: 200, body: { updated: [{ ...hashing, ownerId: OTHER_ID, version: 4 }, { ...runbook, version: 8 }] } } }));
    renderApp('/remediation');
    await screen.findByText('Deploy hash matching on uploads');
    expect(screen.queryByRole('form', { name: 'Change the selected actions' })).toBeNull();

    fireEvent.click(screen.getByLabelText('Select all 2 actions'));
    expect(within(bar()).getByText('2 actions')).toBeTruthy();
    const owner = within(bar()).getByLabelText<HTMLSelectElement>('Owner');
    // The suggested owner (assigned the linked question) is chosen and listed first; auditors never.
    expect(owner.value).toBe(OTHER_ID);
    const groups = within(owner).getAllByRole('group');
    expect(groups.map((g) => g.getAttribute('label'))).toEqual(['Suggested: assigned the question', 'Other members']);
    expect(within(groups[0]!).getByRole('option').textContent).toBe('Sam Patel (assigned the question)');
    expect(within(owner).queryByText(/Ada Auditor/)).toBeNull();

    fireEvent.click(within(bar()).getByRole('button', { name: 'Assign 2 actions' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1));
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.path).toBe(`${org}/actions`);
    expect(bodyOf(patch.init)).toEqual({ items: [{ id: ACTION_ID, version: 3 }, { id: ACTION_ID_2, version: 7 }], ownerId: OTHER_ID });
    expect(await within(bar()).findByText('2 actions assigned to Sam Patel.')).toBeTruthy();
  });

  it('sets and clears the due date of the selected actions at once', async () => {
    const { calls } = stubFetch(api({ [`PATCH ${org}/actions`]: { status: 200, body: { updated: [hashing] } } }));
    renderApp('/remediation');
    fireEvent.click(await screen.findByLabelText('Select “Deploy hash matching on uploads”'));
    const set = within(bar()).getByRole('button', { name: 'Set due date' });
    expect((set as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(bar()).getByLabelText('Due date'), { target: { value: '2027-03-31' } });
    fireEvent.click(set);
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1));
    expect(bodyOf(calls.find((c) => c.method === 'PATCH')!.init)).toEqual({ items: [{ id: ACTION_ID, version: 3 }], dueDate: '2027-03-31' });
    expect(await within(bar()).findByText('1 action due on 2027-03-31.')).toBeTruthy();

    fireEvent.click(within(bar()).getByRole('button', { name: 'Clear due dates' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2));
    expect(bodyOf(calls.filter((c) => c.method === 'PATCH')[1]!.init)).toEqual({ items: [{ id: ACTION_ID, version: 3 }], dueDate: null });
  });

  it('says nothing was changed, word for word, when someone changed one of them meanwhile (412)', async () => {
    const message = 'Someone else changed 1 of these actions since you read them. Review them (in `current`) and try again; nothing was changed.';
    stubFetch(api({ [`PATCH ${org}/actions`]: { status: 412, body: { ...anEnvelope('PRECONDITION_FAILED', message, [{ path: 'items.1.version', message: 'Changed since you read it (now version 8)' }]), current: [runbook] } } }));
    renderApp('/remediation');
    fireEvent.click(await screen.findByLabelText('Select all 2 actions'));
    fireEvent.click(within(bar()).getByRole('button', { name: 'Assign 2 actions' }));
    const alert = await within(bar()).findByRole('alert');
    expect(within(alert).getByText('Nothing was changed')).toBeTruthy();
    expect(within(alert).getByText(message)).toBeTruthy();
  });

  it('offers a contributor only the due date, and only for actions they own', async () => {
    stubFetch(api({}, 'contributor', OTHER_ID));
    renderApp('/remediation');
    fireEvent.click(await screen.findByLabelText('Select “Write the reporting runbook”'));
    expect(within(bar()).queryByLabelText('Owner')).toBeNull();
    expect(within(bar()).getByLabelText('Due date')).toBeTruthy();

    fireEvent.click(screen.getByLabelText('Select “Deploy hash matching on uploads”'));
    expect(within(bar()).queryByLabelText('Due date')).toBeNull();
    expect(within(bar()).getByText(/You can change only the actions you own/)).toBeTruthy();
  });

  it('offers auditors no bulk change at all, though they may still select for the what-if projection', async () => {
    stubFetch(api({ [`POST ${org}/assessments/${anAssessment().id}/what-if`]: { status: 200, body: { questionIds: [], overall: { before: 1, after: 1, delta: 0 }, band: { before: 'red', after: 'red' }, domains: {}, explanation: [] } } }, 'auditor'));
    renderApp('/remediation');
    fireEvent.click(await screen.findByLabelText('Select all 2 actions'));
    expect(screen.queryByRole('form', { name: 'Change the selected actions' })).toBeNull();
  });

  it('suggests the question’s assignee first in a single action’s owner control too', async () => {
    stubFetch(api());
    renderApp('/remediation');
    const owner = await screen.findByLabelText<HTMLSelectElement>('Owner of “Deploy hash matching on uploads”');
    expect(within(owner).getAllByRole('group')[0]!.getAttribute('label')).toBe('Suggested: assigned the question');
    const noSuggestion = screen.getByLabelText('Owner of “Write the reporting runbook”');
    expect(within(noSuggestion).queryAllByRole('group')).toEqual([]);
  });
});
