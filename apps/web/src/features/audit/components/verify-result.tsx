import type { AuditVerifyResponse } from '@hoh/contracts';

import { Alert } from '@/components/ui/alert';

export function VerifyResult({ result }: { result: AuditVerifyResponse }) {
  if (result.intact) {
    return (
      <Alert tone="success" title="Chain intact">
        All {result.checked} entries were checked: every hash links to the one before, and every current answer matches its last audited state.
      </Alert>
    );
  }
  return (
    <Alert tone="error" title="Chain NOT intact">
      <p>{result.checked} entries were checked.</p>
      {result.firstBreak ? (
        <p>
          First break at entry #{result.firstBreak.seq}: {result.firstBreak.reason}
        </p>
      ) : null}
      {result.drift.length > 0 ? (
        <>
          <p>Data that differs from its audited state:</p>
          <ul>
            {result.drift.map((d) => (
              <li key={`${d.table}-${d.id}`}>
                {d.table} <code>{d.id}</code>: {d.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>Tell whoever runs Hand on Heart for your organisation: someone may have changed records outside the app.</p>
    </Alert>
  );
}
