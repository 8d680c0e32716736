import { defaultProfile, getFramework, referencesFor } from '@hoh/question-bank';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { stubFetch } from '@/testing/fetch-stub';
import { aMember, ASSESSMENT_ID, ORG_ID } from '@/testing/fixtures';
import { renderWithClient } from '@/testing/render-with-client';

import { QuestionCard } from './question-card';

const bank = getFramework('hoh-csam', '1.1.0')!;
const rep01 = bank.questions.find((q) => q.id === 'REP-01')!;
// A UK-only file-sharing service: the UK duties apply, the US ones are another jurisdiction's.
const profile = defaultProfile({ services: ['file_storage_sharing'], ukMonthlyUsers: 1_200_000, publicContent: true, jurisdictions: ['UK'], risk: { imageCsam: 'high' } });

describe('QuestionCard references (bank 1.1.0)', () => {
  it('lists the references that apply first and collapses the rest with why they do not apply', () => {
    stubFetch({});
    const { references } = referencesFor(rep01, profile, '1.1.0');
    renderWithClient(
      <QuestionCard orgId={ORG_ID} assessmentId={ASSESSMENT_ID} question={rep01} referenceStates={references} answer={undefined} scoreItem={undefined} canAnswer={false} members={[aMember()]} />,
    );
    const applying = screen.getByText('Apply to you').nextElementSibling as HTMLElement;
    expect(within(applying).getByText('s.66(1)–(2)')).toBeTruthy();
    expect(within(applying).queryByText('(a)(1)(B)(i)')).toBeNull();

    const collapsed = screen.getByText(/references do not apply to you/).closest('details')!;
    expect(collapsed.open).toBe(false);
    const us = within(collapsed).getByText('(a)(1)(B)(i)').closest('li')!;
    expect(us.textContent).toContain('Elsewhere: a US obligation, and the organisation does not serve US');
    expect(within(collapsed).getByText('s.66(3)–(4)').closest('li')!.textContent).toContain('Not in force');
    expect(screen.getAllByText('Primary text read').length).toBeGreaterThan(0);
    expect(screen.queryByText('Unverified reference')).toBeNull();
  });
});
