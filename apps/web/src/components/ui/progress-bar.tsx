/** A labelled progress bar whose value is also written out, so it never relies on the bar alone. */
export function ProgressBar({ label, value, max, compact = false }: { label: string; value: number; max: number; compact?: boolean }) {
  const pct = max === 0 ? 0 : Math.round((value / max) * 100);
  return (
    <div className={`progress${compact ? ' progress--compact' : ''}`}>
      <div className="progress__text">
        <span>{label}</span>
        <span>
          {value} of {max}
        </span>
      </div>
      <div
        className="progress__track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={`${String(value)} of ${String(max)} (${String(pct)}%)`}
      >
        <div className="progress__fill" style={{ width: `${String(pct)}%` }} />
      </div>
    </div>
  );
}
