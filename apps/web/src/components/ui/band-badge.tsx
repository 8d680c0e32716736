export type Band = 'green' | 'amber' | 'red';

export const BAND_TEXT: Record<Band, { name: string; meaning: string }> = {
  green: { name: 'Green', meaning: 'Ready' },
  amber: { name: 'Amber', meaning: 'Partially ready' },
  red: { name: 'Red', meaning: 'Not ready' },
};

// Each band also has its own shape, so it reads in greyscale and for colour-blind users.
const SHAPES: Record<Band, string> = {
  green: 'M8 1.5 14.5 8 8 14.5 1.5 8z',
  amber: 'M8 1.5 15 14H1z',
  red: 'M2 2h12v12H2z',
};

/** The band as text and colour: "Amber · Partially ready". */
export function BandBadge({ band, size = 'md' }: { band: Band | null; size?: 'md' | 'lg' }) {
  if (band === null) {
    return <span className={`band band--none band--${size}`}>No band (nothing applies)</span>;
  }
  const text = BAND_TEXT[band];
  return (
    <span className={`band band--${band} band--${size}`}>
      <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
        <path d={SHAPES[band]} fill="currentColor" />
      </svg>
      {text.name} · {text.meaning}
    </span>
  );
}
