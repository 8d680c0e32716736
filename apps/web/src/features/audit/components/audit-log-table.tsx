import type { AuditEntry } from '@hoh/contracts';

export function AuditLogTable({ entries, nameOf }: { entries: readonly AuditEntry[]; nameOf: (userId: string | null) => string }) {
  return (
    <div className="table-wrap">
      <table className="table table--dense">
        <caption className="visually-hidden">Audit log entries, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">On</th>
            <th scope="col">Hash</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{e.seq}</td>
              <td>{new Date(e.occurredAt).toLocaleString()}</td>
              <td>{nameOf(e.actorId)}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td className="break">
                {e.entityType} <span className="muted small">{e.entityId}</span>
              </td>
              <td>
                <code title={e.hash}>{e.hash.slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
