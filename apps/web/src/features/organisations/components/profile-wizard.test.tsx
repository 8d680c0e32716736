import type { ApplicabilityResponse } from '@hoh/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { anEnvelope, stubFetch } from '@/testing/fetch-stub';
import { aProfileResponse, framework, ORG_ID } from '@/testing/fixtures';
import { renderWithClient } from '@/testing/render-with-client';

import { ProfileWizard } from './profile-wizard';

const PREVIEW = `POST /api/v1/orgs/${ORG_ID}/applicability/preview`;
const PROFILE = `PUT /api/v1/orgs/${ORG_ID}/profile`;

const preview = (applicable: number, critical: number): ApplicabilityResponse => ({
  framework: { id: framework.id, version: framework.version },
  applicableCount: applicable,
  criticalCount: critical,
  items: framework.questions.map((q, i) => ({
    questionId: q.id,
    domainId: q.domainId,
    text: q.text,
    applicable: i < applicable,
    critical: i < critical,
    reason: i < applicable ? `Applies: reason for ${q.id}` : `Does not apply: reason for ${q.id}`,
    decidingFacts: [],
  })),
});

describe('ProfileWizard', () => {
  it('previews applicability live as the draft changes, without saving', async () => {
    const { calls } = stubFetch({
      [PREVIEW]: (init) => {
        const body = JSON.parse(init?.body as string) as { services: string[] };
        return { status: 200, body: body.services.includes('file_storage_sharing') ? preview(30, 9) : preview(12, 4) };
      },
    });
    renderWithClient(<ProfileWizard orgId={ORG_ID} current={aProfileResponse()} previewDelayMs={10} />);

    fireEvent.change(screen.getByLabelText('Approximate monthly active users in the UK'), { target: { value: '1,200,000' } });
    expect(await screen.findByText(`12 of ${framework.questions.length} questions apply, 4 critical`)).toBeTruthy();
    expect(screen.getByText('Questions you have not answered yet are counted as “No” for now.')).toBeTruthy();

    fireEvent.click(screen.getByLabelText(/File storage or sharing/));

    expect(await screen.findByText(`30 of ${framework.questions.length} questions apply, 9 critical`)).toBeTruthy();
    expect(screen.getByText('Applies: reason for GOV-01')).toBeTruthy();
    const last = calls.filter((c) => c.path.endsWith('/applicability/preview')).at(-1);
    expect(JSON.parse(last?.init?.body as string)).toMatchObject({ services: ['file_storage_sharing'], ukMonthlyUsers: 1200000 });
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('checks each step with the shared schema before moving on', async () => {
    stubFetch({ [PREVIEW]: { status: 200, body: preview(12, 4) } });
    renderWithClient(<ProfileWizard orgId={ORG_ID} current={aProfileResponse()} previewDelayMs={10} />);

    fireEvent.change(screen.getByLabelText('Approximate monthly active users in the UK'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    expect(await screen.findByText(/Give UK monthly active users as a whole number/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Step 1 of 5: Services' })).toBeTruthy();
  });

  it('walks the five steps and saves the profile the schema accepts', async () => {
    const { calls } = stubFetch({
      [PREVIEW]: { status: 200, body: preview(12, 4) },
      [PROFILE]: (init) => ({
        status: 200,
        body: aProfileResponse({ profile: JSON.parse(init?.body as string), version: 1, updatedAt: '2026-11-28T09:30:00.000Z' }),
      }),
      [`GET /api/v1/orgs/${ORG_ID}/exposure`]: { status: 200, body: { items: [] } },
    });
    renderWithClient(<ProfileWizard orgId={ORG_ID} current={aProfileResponse()} previewDelayMs={10} />);

    fireEvent.click(screen.getByLabelText(/User-to-user platform/));
    fireEvent.change(screen.getByLabelText('Approximate monthly active users in the UK'), { target: { value: '800000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    await screen.findByRole('heading', { name: 'Step 2 of 5: Users, children and content' });
    for (const [group, answer] of [
      ['Are children likely to use the service?', 'Yes'],
      ['Is any user content communicated publicly?', 'Yes'],
      ['Is any content end-to-end encrypted?', 'No'],
    ] as const) {
      fireEvent.click(within(screen.getByRole('group', { name: group })).getByLabelText(answer));
    }
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    await screen.findByRole('heading', { name: 'Step 3 of 5: Risks' });
    fireEvent.click(within(screen.getByRole('group', { name: 'Risk level: Image-based CSAM' })).getByLabelText('High'));
    fireEvent.click(within(screen.getByRole('group', { name: /two or more kinds/ })).getByLabelText('Yes'));
    fireEvent.click(within(screen.getByRole('group', { name: /any kind of illegal harm/ })).getByLabelText('Yes'));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    await screen.findByRole('heading', { name: 'Step 4 of 5: Jurisdictions' });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));

    // The optional facts of step 5 stay out of the profile while unanswered ("not recorded").
    await screen.findByRole('heading', { name: 'Step 5 of 5: More about the service' });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Profile saved')).toBeTruthy();
    const put = calls.find((c) => c.method === 'PUT');
    expect(JSON.parse(put?.init?.body as string)).toEqual({
      services: ['user_to_user'],
      ukMonthlyUsers: 800000,
      childrenLikely: true,
      publicContent: true,
      e2ee: false,
      managedDevices: 0,
      jurisdictions: ['UK'],
      risk: { imageCsam: 'high', csamUrl: 'low', grooming: 'low' },
      multiRisk: true,
      anyRisk: true,
      confirmedAt: {},
    });
  });

  it('sends If-Match and kept confirmation dates, and places the server’s field errors beside the fields', async () => {
    const { calls } = stubFetch({
      [PREVIEW]: { status: 200, body: preview(12, 4) },
      [PROFILE]: {
        status: 400,
        body: anEnvelope('VALIDATION_FAILED', 'Check the profile.', [{ path: 'jurisdictions', message: 'Serve at least one jurisdiction' }]),
      },
    });
    const existing = {
      services: ['search' as const],
      ukMonthlyUsers: 10,
      childrenLikely: false,
      publicContent: false,
      e2ee: false,
      managedDevices: 0,
      jurisdictions: ['UK' as const],
      risk: { imageCsam: 'low' as const, csamUrl: 'low' as const, grooming: 'low' as const },
      multiRisk: false,
      anyRisk: false,
      confirmedAt: { services: '2026-01-01T00:00:00Z' },
    };
    renderWithClient(
      <ProfileWizard orgId={ORG_ID} current={aProfileResponse({ profile: existing, version: 3 })} previewDelayMs={10} />,
    );
    fireEvent.click(screen.getByRole('button', { name: /More about the service/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Serve at least one jurisdiction')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Profile saved')).toBeNull());
    // Sent against the version read, keeping the confirmation date of the unchanged facts.
    const put = calls.find((c) => c.method === 'PUT');
    expect(new Headers(put?.init?.headers).get('If-Match')).toBe('"3"');
    expect(JSON.parse(put?.init?.body as string).confirmedAt).toEqual({ services: '2026-01-01T00:00:00Z' });
  });

  it('records the facts the 1.1.0 rules read, each with why it matters and when it was last confirmed', async () => {
    const { calls } = stubFetch({
      [PREVIEW]: { status: 200, body: preview(12, 4) },
      [PROFILE]: (init) => ({ status: 200, body: aProfileResponse({ profile: JSON.parse(init?.body as string), version: 4 }) }),
      [`GET /api/v1/orgs/${ORG_ID}/exposure`]: { status: 200, body: { items: [] } },
    });
    const existing = {
      services: ['user_to_user' as const, 'private_messaging' as const],
      ukMonthlyUsers: 900_000,
      childrenLikely: true,
      publicContent: true,
      e2ee: true,
      managedDevices: 0,
      jurisdictions: ['UK' as const, 'AU' as const],
      risk: { imageCsam: 'high' as const, csamUrl: 'low' as const, grooming: 'high' as const },
      multiRisk: true,
      anyRisk: true,
      ageDetermination: false,
      confirmedAt: { ageDetermination: '2026-11-02T10:00:00Z' },
    };
    renderWithClient(<ProfileWizard orgId={ORG_ID} current={aProfileResponse({ profile: existing, version: 3 })} previewDelayMs={10} />);
    fireEvent.click(screen.getByRole('button', { name: /More about the service/ }));

    const age = await screen.findByRole('group', { name: /means of determining users’ ages/ });
    expect(age.textContent).toContain('apply only where a service can already tell who is a child');
    expect(age.textContent).toContain('Last confirmed 2026-11-02.');
    expect(screen.getByRole('group', { name: /designated the service a very large online platform/ }).textContent).toContain('Not recorded yet.');
    fireEvent.click(within(age).getByLabelText('Yes'));
    fireEvent.click(within(screen.getByRole('group', { name: /micro or small enterprise/ })).getByLabelText('No'));

    fireEvent.click(screen.getByRole('button', { name: 'Add a surface' }));
    fireEvent.change(screen.getByLabelText('Surface 1 name'), { target: { value: 'public channels' } });
    fireEvent.click(screen.getByLabelText('Public'));
    fireEvent.click(screen.getByRole('button', { name: 'Add a surface' }));
    fireEvent.change(screen.getByLabelText('Surface 2 name'), { target: { value: 'direct messages' } });
    fireEvent.click(screen.getAllByLabelText('End-to-end encrypted')[1]!);
    fireEvent.click(screen.getByLabelText('Hosting service'));

    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    expect(await screen.findByText('Profile saved')).toBeTruthy();
    const sent = JSON.parse(calls.find((c) => c.method === 'PUT')?.init?.body as string);
    expect(sent).toMatchObject({
      ageDetermination: true,
      microOrSmallEnterprise: false,
      surfaces: [
        { name: 'public channels', public: true, e2ee: false },
        { name: 'direct messages', public: false, e2ee: true },
      ],
      auServiceCategories: ['hosting'],
    });
    // Unanswered optional facts are left out, and a changed fact's old confirmation date is not kept.
    expect('euDesignatedVeryLarge' in sent).toBe(false);
    expect(sent.confirmedAt).toEqual({});
  });
});
