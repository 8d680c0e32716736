import type { Membership } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { aMe, anEnvelope, stubFetch } from '@/testing/fetch-stub';
import type { Routes } from '@/testing/fetch-stub';
import { ACTION_ID, ACTION_ID_2, aMember, anAction, anActionList, anAssessment, ASSESSMENT_ID, framework, ME_ID, ORG_ID, OTHER_ID, summaryOf } from '@/testing/fixtures';
import { renderApp } from '@/testing/render-app';

const org = `/api/v1/orgs/${ORG_ID}`;

function meAs(membership: Partial<Membership>) {
  const base = aMe();
  return { ...base, memberships: [{ ...base.memberships[0]!, ...membership }] };
}

function api(extra: Routes = {}, role: Membership['role'] = 'owner'): Routes {
  return {
    'GET /api/v1/auth/me': { status: 200, body: meAs({ role, accountableIndividual: role === 'owner' }) },
    [`GET ${org}/assessments`]: { status: 200, body: { items: [summaryOf(anAssessment())], nextCursor: null } },
    [`GET /api/v1/frameworks/${framework.id}/versions/${framework.version}`]: { status: 200, body: framework },
    [`GET ${org}/members`]: {
      status: 200,
      body: { items: [aMember(), aMember({ userId: OTHER_ID, name: 'Sam Patel', email: 'sam@example.org', role: 'contributor', accountableIndividual: false })], nextCursor: null },
    },
    [`GET ${org}/actions`]: {
      status: 200,
      body: anActionList([anAction(), anAction({ id: ACTION_ID_2, number: 'A-002', title: 'Write the reporting runbook', priority: 'p3', computedPriority: 'p3', overdue: true, dueDate: '2026-01-31', ownerId: OTHER_ID, questionIds: ['GOV-02'] })]),
    },
    ...extra,
  };
}

const bodyOf = (init: RequestInit | undefined) => JSON.parse(init?.body as string) as unknown;

describe('remediation board', () => {
  it('sends the filters and sort to the API and keeps them in the address', async () => {
    const { fetchMock } = stubFetch(api());
    const { router } = renderApp('/remediation');

    expect(await screen.findByText('Deploy hash matching on uploads')).toBeTruthy();
    const filters = screen.getByRole('form', { name: 'Filter and sort actions' });
    fireEvent.change(within(filters).getByLabelText('Status'), { target: { value: 'blocked' } });
    fireEvent.change(within(filters).getByLabelText('Sort by'), { target: { value: 'due' } });
    fireEvent.click(within(filters).getByLabelText('Overdue only'));

    const actionUrls = () => fetchMock.mock.calls.map((c) => (typeof c[0] === 'string' ? c[0] : '')).filter((u) => u.includes('/actions?'));
    await waitFor(() => expect(actionUrls().at(-1)).toMatch(/\?status=blocked&overdue=true&sort=due&limit=200$/));
    expect(router.state.location.search).toContain('status=blocked');
    expect(router.state.location.search).toContain('overdue=true');
    expect(router.state.location.search).toContain('sort=due');
  }, 15_000);

  it('highlights overdue actions in words, shows predicted uplift and links the CSV export', async () => {
    stubFetch(api());
    renderApp('/remediation');
    const row = await screen.findByTestId(`action-${ACTION_ID_2}`);
    expect(within(row).getByText('Overdue')).toBeTruthy();
    expect(row.className).toContain('is-overdue');
    expect(within(screen.getByTestId(`action-${ACTION_ID}`)).getByText('+4.2')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe(`${org}/actions/export.csv`);
  });

  it('shows each action’s short number in its own column, as one label (action-number: never wrapped)', async () => {
    stubFetch(api());
    renderApp('/remediation');
    const row = await screen.findByTestId(`action-${ACTION_ID_2}`);
    const label = within(row).getByText('A-002');
    expect(label.className).toBe('action-number');
    expect(within(screen.getByTestId(`action-${ACTION_ID}`)).getByText('A-001')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'No.' })).toBeTruthy();
  });

  it('asks for a closing note before marking done and sends it with If-Match', async () => {
    const { calls } = stubFetch(api({ [`PATCH ${org}/actions/${ACTION_ID}`]: { status: 200, body: anAction({ status: 'done', closingNote: 'Live since May', version: 2 }) } }));
    renderApp('/remediation');

    fireEvent.change(await screen.findByLabelText('Move “Deploy hash matching on uploads”'), { target: { value: 'done' } });
    const dialog = await screen.findByRole('dialog', { name: 'Mark done: A-001 Deploy hash matching on uploads' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Mark done' }));
    expect(within(dialog).getByText('Say what was done before closing the action')).toBeTruthy();
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);

    fireEvent.change(within(dialog).getByLabelText('Closing note: what was done? (required)'), { target: { value: 'Live since May' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Mark done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(bodyOf(patch?.init)).toEqual({ status: 'done', closingNote: 'Live since May' });
    expect(new Headers(patch?.init?.headers).get('If-Match')).toBe('"1"');
  });

  it('shows the 409 for risk-accepting a critical item word for word, and keeps the dialog open', async () => {
    const message = 'A critical control gap can never be risk-accepted (HASH-01). Plan the fix, or record an alternative measure in the answer.';
    stubFetch(api({ [`PATCH ${org}/actions/${ACTION_ID}`]: { status: 409, body: anEnvelope('CRITICAL_NOT_ACCEPTABLE', message) } }));
    renderApp('/remediation');

    fireEvent.change(await screen.findByLabelText('Move “Deploy hash matching on uploads”'), { target: { value: 'risk_accepted' } });
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Why is the risk accepted? (required)'), { target: { value: 'Budget' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Accept the risk' }));
    expect(await within(dialog).findByText(message)).toBeTruthy();
  });

  it('needs a reason to reopen a done action; a move that needs nothing is sent at once', async () => {
    const done = anAction({ status: 'done', closingNote: 'Shipped' });
    const { calls } = stubFetch(
      api({
        [`GET ${org}/actions`]: { status: 200, body: anActionList([done, anAction({ id: ACTION_ID_2, title: 'Write the runbook' })]) },
        [`PATCH ${org}/actions/${ACTION_ID}`]: { status: 200, body: anAction() },
        [`PATCH ${org}/actions/${ACTION_ID_2}`]: { status: 200, body: anAction({ id: ACTION_ID_2, status: 'in_progress' }) },
      }),
    );
    renderApp('/remediation');

    fireEvent.change(await screen.findByLabelText('Move “Write the runbook”'), { target: { value: 'in_progress' } });
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1));
    expect(bodyOf(calls.find((c) => c.method === 'PATCH')?.init)).toEqual({ status: 'in_progress' });

    fireEvent.change(screen.getByLabelText('Move “Deploy hash matching on uploads”'), { target: { value: 'open' } });
    const dialog = await screen.findByRole('dialog', { name: /^Reopen/ });
    fireEvent.change(within(dialog).getByLabelText('Why is the action reopened? (required)'), { target: { value: 'Regression found' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reopen' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2));
    expect(bodyOf(calls.filter((c) => c.method === 'PATCH')[1]?.init)).toEqual({ status: 'open', reason: 'Regression found' });
  });

  it('edits the title, owner and due date inline and overrides the priority with a reason', async () => {
    const { calls } = stubFetch(api({ [`PATCH ${org}/actions/${ACTION_ID}`]: { status: 200, body: anAction() } }));
    renderApp('/remediation');

    fireEvent.click(await screen.findByRole('button', { name: 'Edit title of “Deploy hash matching on uploads”' }));
    const input = screen.getByLabelText('Title');
    fireEvent.change(input, { target: { value: 'Deploy PhotoDNA on uploads' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    fireEvent.change(screen.getByLabelText('Owner of “Deploy hash matching on uploads”'), { target: { value: OTHER_ID } });
    const due = screen.getByLabelText('Due date of “Deploy hash matching on uploads”');
    fireEvent.change(due, { target: { value: '2027-03-31' } });
    fireEvent.blur(due);
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(3));
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => bodyOf(c.init))).toEqual([
      { title: 'Deploy PhotoDNA on uploads' },
      { ownerId: OTHER_ID },
      { dueDate: '2027-03-31' },
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Override priority of “Deploy hash matching on uploads”' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Priority'), { target: { value: 'p2' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save override' }));
    expect(within(dialog).getByText('Record why the priority differs')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('Why does the priority differ? (required)'), { target: { value: 'Vendor dependency' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save override' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(4));
    expect(bodyOf(calls.filter((c) => c.method === 'PATCH')[3]?.init)).toEqual({ priorityOverride: { priority: 'p2', reason: 'Vendor dependency' } });
  });

  it('moves a card in the kanban with the keyboard-operable status select', async () => {
    const { calls } = stubFetch(api({ [`PATCH ${org}/actions/${ACTION_ID}`]: { status: 200, body: anAction({ status: 'blocked' }) } }));
    renderApp('/remediation?view=kanban');
    const column = await screen.findByRole('region', { name: /^Open/ });
    // The card names the action by number, then its title (an element of its own, so it can be found by its exact text).
    expect(within(column).getByText('Deploy hash matching on uploads').previousElementSibling?.textContent).toBe('A-001');
    fireEvent.change(within(column).getByLabelText('Move “Deploy hash matching on uploads”'), { target: { value: 'blocked' } });
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Move to blocked' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(bodyOf(calls.find((c) => c.method === 'PATCH')?.init)).toEqual({ status: 'blocked' });
  });

  it('generates suggestions for the current assessment and says how many', async () => {
    const { calls } = stubFetch(api({ [`POST ${org}/assessments/${ASSESSMENT_ID}/actions/suggest`]: { status: 200, body: { created: [anAction()], unchanged: 2 } } }));
    renderApp('/remediation');
    fireEvent.click(await screen.findByRole('button', { name: 'Generate suggestions' }));
    expect(await screen.findByText('1 actions suggested')).toBeTruthy();
    expect(calls.filter((c) => c.path === `${org}/actions`).length).toBeGreaterThanOrEqual(2);
  });

  it('projects score and band for the selected actions (what-if)', async () => {
    const { calls } = stubFetch(
      api({
        [`POST ${org}/assessments/${ASSESSMENT_ID}/what-if`]: {
          status: 200,
          body: { questionIds: ['HASH-01'], overall: { before: 42.4, after: 61.2, delta: 18.8 }, band: { before: 'red', after: 'amber' }, domains: {}, explanation: ['HASH-01 reaches 3: the Red cap lifts.'] },
        },
      }),
    );
    renderApp('/remediation');
    fireEvent.click(await screen.findByLabelText('Select “Deploy hash matching on uploads”'));
    const result = await screen.findByTestId('what-if-result');
    expect(result.textContent).toContain('42');
    expect(result.textContent).toContain('61');
    expect(within(result).getByText('Amber · Partially ready')).toBeTruthy();
    expect(within(result).getByText('HASH-01 reaches 3: the Red cap lifts.')).toBeTruthy();
    expect(bodyOf(calls.find((c) => c.path.endsWith('/what-if'))?.init)).toEqual({ actionIds: [ACTION_ID] });
  });

  it('auditor mode: reads the board with no write controls at all', async () => {
    stubFetch(api({}, 'auditor'));
    renderApp('/remediation');
    expect(await screen.findByText('Deploy hash matching on uploads')).toBeTruthy();
    const main = screen.getByRole('main');
    expect(within(main).queryByRole('button', { name: /Generate suggestions|Edit title|Override priority/ })).toBeNull();
    expect(within(main).queryByLabelText(/^Move “/)).toBeNull();
    expect(within(main).queryByLabelText(/^Owner of/)).toBeNull();
    expect(within(main).queryByLabelText(/^Due date of/)).toBeNull();
    expect(within(main).getByRole('link', { name: 'Export CSV' })).toBeTruthy();
  });

  it('lets a contributor move only the actions they own', async () => {
    stubFetch(
      api(
        {
          'GET /api/v1/auth/me': { status: 200, body: { ...meAs({ role: 'contributor', accountableIndividual: false }), user: { ...aMe().user, id: OTHER_ID } } },
        },
        'contributor',
      ),
    );
    renderApp('/remediation');
    expect(await screen.findByLabelText('Move “Write the reporting runbook”')).toBeTruthy();
    expect(screen.queryByLabelText('Move “Deploy hash matching on uploads”')).toBeNull();
    expect(screen.queryByLabelText(/^Owner of/)).toBeNull();
    expect(ME_ID).not.toBe(OTHER_ID);
  });
});
