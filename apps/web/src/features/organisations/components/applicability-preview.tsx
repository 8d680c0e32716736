import type { ApplicabilityResponse } from '@hoh/contracts';

import { LoadError } from '@/components/ui/load-error';
import '../organisations.css';

export interface ApplicabilityPreviewProps {
  data: ApplicabilityResponse | undefined;
  isLoading: boolean;
  error: unknown;
  /** false while the draft has a blank or invalid answer, so the server cannot be asked yet. */
  draftValid: boolean;
  onRetry: () => void;
  title?: string;
  /** True while some wizard answers are still blank and assumed "no" for the preview. */
  assuming?: boolean;
}

/** "N of 51 questions apply, M critical", and every question with the reason it applies or not. */
export function ApplicabilityPreview({ data, isLoading, error, draftValid, onRetry, title = 'What applies to you', assuming = false }: ApplicabilityPreviewProps) {
  const applicable = data?.items.filter((i) => i.applicable) ?? [];
  const excluded = data?.items.filter((i) => !i.applicable) ?? [];
  return (
    <section className="card applicability" aria-busy={isLoading || undefined}>
      <h2>{title}</h2>
      <div aria-live="polite" className="applicability__summary">
        {data ? (
          <p>
            <strong>
              {data.applicableCount} of {data.items.length} questions apply, {data.criticalCount} critical
            </strong>
            {isLoading ? <span className="muted"> — updating…</span> : null}
          </p>
        ) : isLoading ? (
          <p className="muted">Working out which questions apply…</p>
        ) : !draftValid ? (
          <p className="muted">Answer the questions on the left to see which controls apply to you.</p>
        ) : null}
        {data && !draftValid ? <p className="muted">Showing the last valid answers; fix the highlighted answer to update.</p> : null}
        {assuming ? <p className="muted small">Questions you have not answered yet are counted as “No” for now.</p> : null}
      </div>
      {error ? <LoadError what="the preview" error={error} onRetry={onRetry} /> : null}
      {data ? (
        <>
          <ul className="applicability__list">
            {applicable.map((item) => (
              <li key={item.questionId}>
                <span className="qid">{item.questionId}</span>
                {item.critical ? <span className="tag tag--critical">Critical</span> : null}
                <span className="applicability__text">{item.text}</span>
                <span className="applicability__reason">{item.reason}</span>
              </li>
            ))}
          </ul>
          {excluded.length > 0 ? (
            <details className="applicability__excluded">
              <summary>{excluded.length} questions do not apply, and why</summary>
              <ul className="applicability__list">
                {excluded.map((item) => (
                  <li key={item.questionId}>
                    <span className="qid">{item.questionId}</span>
                    <span className="applicability__reason">{item.reason}</span>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
