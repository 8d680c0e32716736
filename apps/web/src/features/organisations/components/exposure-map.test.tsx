import type { ExposureResponse } from '@hoh/contracts';
import { defaultProfile, exposureMap } from '@hoh/question-bank';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { ExposureMap } from './exposure-map';

// A UK file store that keeps content private: bank 1.1.0 says C9 is not met (public content only).
const profile = defaultProfile({ services: ['file_storage_sharing'], ukMonthlyUsers: 1_200_000, publicContent: false, anyRisk: true, risk: { imageCsam: 'high' } });

describe('ExposureMap', () => {
  it('shows each measure’s state and how its reference was checked, with what to do', () => {
    const exposure: ExposureResponse = { items: exposureMap(profile, '1.1.0') };
    render(<ExposureMap exposure={exposure} />);
    expect(screen.getByText(/measures apply to you/).textContent).toMatch(/^\d+ of \d+ measures apply to you$/);

    const osa = screen.getByRole('table', { name: /UK Online Safety Act 2023/ });
    const s66 = within(osa).getByText('s.66(1)–(2)').closest('tr')!;
    expect(within(s66).getByText('Applies')).toBeTruthy();
    expect(within(s66).getByText('Read in the primary text')).toBeTruthy();
    expect(within(s66).getByRole('link', { name: 'Open the text' }).getAttribute('href')).toBe('https://www.legislation.gov.uk/ukpga/2023/50/section/66');

    const icu = screen.getByRole('table', { name: /user-to-user/ });
    const a2 = within(icu).getByText('A2').closest('tr')!;
    expect(within(a2).getByText('Secondary source only')).toBeTruthy();
    expect(a2.textContent).toContain('Confirm against Ofcom');
  });

  it('keeps the 1.0.0 wording for maps without states or checks', () => {
    render(<ExposureMap exposure={{ items: exposureMap(profile, '1.0.0') }} />);
    expect(screen.getAllByText('Unverified reference').length).toBeGreaterThan(0);
    expect(screen.queryByText('Secondary source only')).toBeNull();
  });
});
