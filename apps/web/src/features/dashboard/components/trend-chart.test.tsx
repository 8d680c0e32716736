import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';

import { aDashboard } from '@/testing/fixtures';

import { TrendChart } from './trend-chart';

describe('trend across question-bank versions', () => {
  it('marks where the bank version changed, in the chart and in its table, so the step is not read as the organisation’s doing', () => {
    const [first, second] = aDashboard().trend;
    const points = [
      { ...first!, bankVersion: '1.1.0' },
      { ...second!, bankVersion: '1.2.0', bankChange: { from: '1.1.0', to: '1.2.0' } },
    ];
    const { container } = render(
      <MemoryRouter>
        <TrendChart points={points} />
      </MemoryRouter>,
    );
    expect(container.querySelectorAll('.trend__bank-change')).toHaveLength(1);
    expect(screen.getByText('bank 1.2.0')).toBeTruthy();
    expect(screen.getByText(/bank 1\.1\.0 → 1\.2\.0: not only your controls/)).toBeTruthy();
    expect(screen.getByText(/A vertical line marks a new question-bank version/)).toBeTruthy();
  });

  it('draws no marker while every point is on the same bank', () => {
    const { container } = render(
      <MemoryRouter>
        <TrendChart points={aDashboard().trend} />
      </MemoryRouter>,
    );
    expect(container.querySelectorAll('.trend__bank-change')).toHaveLength(0);
    expect(screen.queryByText(/question-bank version/)).toBeNull();
  });
});
