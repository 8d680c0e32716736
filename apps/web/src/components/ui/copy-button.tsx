import { useState } from 'react';

import { Button } from './button';

/** Copies a secret or link; says so in a live region, and falls back to "select it yourself". */
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy">
      <Button variant="secondary" onClick={() => void copy()}>
        {label}
      </Button>
      <span className="copy__status small" role="status">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text and copy it yourself' : ''}
      </span>
    </span>
  );
}
