import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { RegulationWatch } from './regulation-watch';

const base = { registerVersion: '2026-12-07', checkedUpTo: '2026-10-10', changedSince: [], pending: [] };

describe('regulation watch on the overview', () => {
  it('says what changed since the bank was checked, with the date and the text linked, and what is pending', () => {
    render(
      <RegulationWatch
        bank="hoh-csam 1.2.0"
        watch={{
          ...base,
          changedSince: [{ id: 'ofcom-icu-codes', title: 'Ofcom Illegal Content Codes', url: 'https://www.ofcom.org.uk/x', on: '2026-11-02', summary: 'New CSAM measures issued.' }],
          pending: [{ id: 'eu-csa', title: 'Proposed EU CSA Regulation', url: 'https://eur-lex.europa.eu/', lastChecked: '2026-10-10' }],
        }}
      />,
    );
    expect(screen.getByText(/1 change since hoh-csam 1\.2\.0 was checked/)).toBeTruthy();
    expect(screen.getByRole('link', { name: /Ofcom Illegal Content Codes/ }).getAttribute('href')).toBe('https://www.ofcom.org.uk/x');
    expect(screen.getByText(/New CSAM measures issued\./)).toBeTruthy();
    expect(screen.getByRole('link', { name: /Proposed EU CSA Regulation/ })).toBeTruthy();
  });

  it('says plainly when nothing has changed since the bank was checked', () => {
    render(<RegulationWatch bank="hoh-csam 1.2.0" watch={base} />);
    expect(screen.getByText(/Nothing the question bank follows has changed since hoh-csam 1\.2\.0 was checked/)).toBeTruthy();
    expect(screen.queryByText(/Watching, no duty yet/)).toBeNull();
  });
});
