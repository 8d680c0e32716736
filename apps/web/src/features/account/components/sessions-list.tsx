import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { LoadError } from '@/components/ui/load-error';
import { Spinner } from '@/components/ui/spinner';
import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useEndOtherSessions, useEndSession, useSessions } from '../api/account';

/** Every browser signed in as you, with its device and last use; end any but this one (Sign out ends this one). */
export function SessionsList() {
  const sessions = useSessions();
  const end = useEndSession();
  const endOthers = useEndOtherSessions();
  const others = sessions.data?.filter((s) => !s.current).length ?? 0;

  return (
    <>
      {end.error ? (
        <Alert tone="error" title="The session was not ended">
          {describeError(end.error)}
        </Alert>
      ) : null}
      {endOthers.error ? (
        <Alert tone="error" title="The other sessions were not ended">
          {describeError(endOthers.error)}
        </Alert>
      ) : null}
      {endOthers.data ? (
        <Alert tone="success" title="Signed out everywhere else">
          {`${String(endOthers.data.ended)} session${endOthers.data.ended === 1 ? '' : 's'} ended.`}
        </Alert>
      ) : null}
      {sessions.isPending ? <Spinner label="Loading your sessions…" /> : null}
      {sessions.error ? <LoadError what="your sessions" error={sessions.error} onRetry={() => void sessions.refetch()} /> : null}
      {sessions.data ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Your sign-in sessions</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.device}
                    {s.current ? <strong> (this browser)</strong> : null}
                  </td>
                  <td>{formatDateTime(s.createdAt)}</td>
                  <td>{formatDateTime(s.lastSeenAt)}</td>
                  <td>
                    {s.current ? (
                      <span className="muted">Use Sign out</span>
                    ) : (
                      <Button variant="danger" className="btn--small" onClick={() => end.mutate(s.id)} isLoading={end.isPending && end.variables === s.id} aria-label={`End this session: ${s.device}, last used ${formatDateTime(s.lastSeenAt)}`}>
                        End this session
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {sessions.data && others > 0 ? (
        <Button variant="secondary" onClick={() => endOthers.mutate()} isLoading={endOthers.isPending}>
          End all other sessions
        </Button>
      ) : null}
    </>
  );
}
