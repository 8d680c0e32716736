import type { Member } from '@hoh/contracts';

import { ROLE_LABELS } from '../../../lib/permissions';

export function MembersTable({ members, currentUserId }: { members: readonly Member[]; currentUserId: string }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Members of the organisation and their roles</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Accountable individual</th>
            <th scope="col">Joined</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>
                {m.name}
                {m.userId === currentUserId ? <span className="muted"> (you)</span> : null}
              </td>
              <td>{m.email}</td>
              <td>{ROLE_LABELS[m.role]}</td>
              <td>{m.accountableIndividual ? <span className="tag tag--yes">Signs the attestation</span> : <span className="muted">—</span>}</td>
              <td>{new Date(m.joinedAt).toLocaleDateString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
