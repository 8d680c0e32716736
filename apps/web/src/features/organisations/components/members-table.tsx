import type { Member, Role } from '@hoh/contracts';

import { Button } from '@/components/ui/button';
import { formatDate } from '@/lib/format';
import { ROLE_LABELS } from '@/lib/permissions';

export interface MemberAdmin {
  onRole: (member: Member, role: Role) => void;
  onAccountable: (member: Member) => void;
  onRemove: (member: Member) => void;
  busyUserId: string | null;
}

const ROLES = ['owner', 'assessor', 'contributor', 'auditor'] as const;

/** Everyone and their role; with `admin` (owners only) the role, accountable individual and removal controls. */
export function MembersTable({ members, currentUserId, admin }: { members: readonly Member[]; currentUserId: string; admin?: MemberAdmin | undefined }) {
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
            {admin ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <td>
                {m.name}
                {m.userId === currentUserId ? <span className="muted"> (you)</span> : null}
              </td>
              <td className="break">{m.email}</td>
              <td>
                {admin ? (
                  <label className="inline-field">
                    <span className="visually-hidden">Role of {m.name}</span>
                    <select className="field__input field__input--compact" value={m.role} disabled={admin.busyUserId === m.userId} onChange={(e) => admin.onRole(m, e.target.value as Role)}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : (
                  ROLE_LABELS[m.role]
                )}
              </td>
              <td>
                {m.accountableIndividual ? (
                  <span className="tag tag--yes">Signs the attestation</span>
                ) : admin && (m.role === 'owner' || m.role === 'assessor') ? (
                  <Button variant="ghost" className="btn--small" onClick={() => admin.onAccountable(m)} isLoading={admin.busyUserId === m.userId}>
                    Make {m.name} accountable
                  </Button>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>{formatDate(m.joinedAt)}</td>
              {admin ? (
                <td>
                  <Button variant="danger" className="btn--small" onClick={() => admin.onRemove(m)} aria-label={`Remove ${m.name}`}>
                    Remove
                  </Button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
