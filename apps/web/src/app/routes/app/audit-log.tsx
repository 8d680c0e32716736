import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { useAuditLog } from '@/features/audit/api/get-audit-log';
import { useVerifyAuditLog } from '@/features/audit/api/verify-audit-log';
import { AuditLogTable } from '@/features/audit/components/audit-log-table';
import { VerifyResult } from '@/features/audit/components/verify-result';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useMembers } from '@/features/organisations/api/get-members';

export function Component() {
  const { membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  // Cursors of the pages already seen, so "Earlier" can step back without the API paging backwards.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const log = useAuditLog(orgId, cursor);
  const verify = useVerifyAuditLog(orgId);
  const members = useMembers(orgId);
  const nameOf = (id: string | null) => (id === null ? 'System' : (members.data?.find((m) => m.userId === id)?.name ?? 'A former member'));

  return (
    <>
      <PageHeader
        title="Audit log"
        lead="Every change, who made it and when. Each entry carries the hash of the one before, so editing history breaks the chain; verify it at any time."
      />
      <div className="section-head">
        <Button onClick={() => void verify.refetch()} isLoading={verify.isFetching}>
          Verify chain
        </Button>
      </div>
      <div aria-live="polite">
        {verify.error ? <LoadError what="the verification" error={verify.error} onRetry={() => void verify.refetch()} /> : null}
        {verify.data && !verify.isFetching ? <VerifyResult result={verify.data} /> : null}
      </div>
      {log.isPending ? <Spinner label="Loading the audit log…" /> : null}
      {log.error ? <LoadError what="the audit log" error={log.error} onRetry={() => void log.refetch()} /> : null}
      {log.data ? (
        log.data.items.length === 0 ? (
          <p className="muted">Nothing has happened yet. Changes to the profile, assessments and answers appear here as they are made.</p>
        ) : (
          <>
            <AuditLogTable entries={log.data.items} nameOf={nameOf} />
            <nav className="pager" aria-label="Audit log pages">
              <Button variant="secondary" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Earlier entries
              </Button>
              <span className="muted">Page {cursors.length}</span>
              <Button variant="secondary" disabled={!log.data.nextCursor || log.isPlaceholderData} onClick={() => setCursors((c) => [...c, log.data.nextCursor])}>
                Later entries
              </Button>
            </nav>
          </>
        )
      ) : null}
    </>
  );
}
