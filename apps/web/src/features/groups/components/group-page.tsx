import type { GroupAttestationStatus, GroupDashboardQuery } from '@hoh/contracts';
import { JURISDICTIONS, SERVICE_TYPES } from '@hoh/question-bank';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { BAND_TEXT } from '@/components/ui/band-badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useAddViewer, useEndMembership, useGroup, useGroupDashboard, useInviteOrganisation, useRemoveViewer } from '../api/groups';
import { GroupReports } from './group-reports';

const ATTESTATION: Record<GroupAttestationStatus, string> = {
  signed: 'Signed',
  ready: 'Ready to attest',
  not_ready: 'Not ready (qualified)',
  no_assessment: 'No assessment yet',
};

const words = (id: string): string => id.replace(/_/g, ' ');

function BandCell({ band, score }: { band: 'green' | 'amber' | 'red' | null; score: number | null }) {
  if (band === null || score === null) return <span className="muted">—</span>;
  return (
    <span className={`band band--${band}`}>
      {String(Math.round(score))} · {BAND_TEXT[band].name}
    </span>
  );
}

/**
 * The group dashboard (docs/PRODUCT.md §16.3): organisations × domains, attestation status, shared
 * critical gaps, overdue actions and trend, from each member's published summary; filters by
 * jurisdiction and service type. The group's owner also manages its organisations and viewers here.
 */
export function GroupPage({ groupId }: { groupId: string }) {
  const [filters, setFilters] = useState<GroupDashboardQuery>({});
  const dashboard = useGroupDashboard(groupId, filters);
  const group = useGroup(groupId);
  const d = dashboard.data;
  const isOwner = group.data?.role === 'owner';

  return (
    <>
      <PageHeader
        title={d?.group.name ?? group.data?.name ?? 'Group'}
        lead="Each member organisation's published summary: never its answers, evidence or people. Open a member's own pages from that organisation, not from here."
      />
      {dashboard.isPending ? <Spinner label="Loading the group dashboard…" /> : null}
      {dashboard.error ? <LoadError what="the group dashboard" error={dashboard.error} onRetry={() => void dashboard.refetch()} /> : null}
      {d ? (
        <>
          <Card aria-labelledby="group-answer-title">
            <h2 id="group-answer-title">Who could attest today</h2>
            <p data-testid="group-totals">
              {d.totals.shown === d.memberCount ? `${String(d.memberCount)} member organisations` : `${String(d.totals.shown)} of ${String(d.memberCount)} member organisations shown`}
              : {String(d.totals.signed)} signed, {String(d.totals.ready)} ready to attest, {String(d.totals.notReady)} could attest only with
              qualification, {String(d.totals.noAssessment)} with no assessment; {String(d.totals.overdueActions)} overdue actions in all.
            </p>
            <div className="row">
              <SelectField
                label="Jurisdiction"
                value={filters.jurisdiction ?? ''}
                onChange={(e) => setFilters(({ jurisdiction: _, ...rest }) => (e.target.value ? { ...rest, jurisdiction: e.target.value as (typeof JURISDICTIONS)[number] } : rest))}
                options={[{ value: '', label: 'All' }, ...JURISDICTIONS.map((j) => ({ value: j, label: j }))]}
              />
              <SelectField
                label="Service type"
                value={filters.serviceType ?? ''}
                onChange={(e) => setFilters(({ serviceType: _, ...rest }) => (e.target.value ? { ...rest, serviceType: e.target.value as (typeof SERVICE_TYPES)[number] } : rest))}
                options={[{ value: '', label: 'All' }, ...SERVICE_TYPES.map((s) => ({ value: s, label: words(s) }))]}
              />
            </div>
          </Card>

          <section className="section-gap" aria-labelledby="group-matrix-title">
            <h2 id="group-matrix-title">Organisations by domain</h2>
            {d.organisations.length === 0 ? (
              <p>No member organisation{d.memberCount > 0 ? ' matches these filters' : ' yet: invite one below, and it appears once its owner accepts'}.</p>
            ) : (
              // Wide with many domains: the wrapper scrolls, so it takes focus for keyboard scrolling (WCAG 2.1.1).
              <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="group-matrix-title">
                <table className="table table--dense" data-testid="group-matrix">
                  <caption className="visually-hidden">Each member organisation&rsquo;s score and band overall and per domain</caption>
                  <thead>
                    <tr>
                      <th scope="col">Organisation</th>
                      <th scope="col">Attestation</th>
                      <th scope="col">Overall</th>
                      {d.domains.map((dom) => (
                        <th scope="col" key={dom.domainId}>
                          {dom.title}
                        </th>
                      ))}
                      <th scope="col">Overdue actions</th>
                      <th scope="col">Trend</th>
                      <th scope="col">Summary as of</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.organisations.map((o) => {
                      const s = o.summary;
                      return (
                        <tr key={o.organisationId}>
                          <th scope="row">{s?.name ?? 'Not yet published'}</th>
                          <td>
                            {s ? ATTESTATION[s.attestation.status] : '—'}
                            {s && s.attestation.status !== 'signed' && s.attestation.exceptionCount > 0 ? ` (${String(s.attestation.exceptionCount)} exceptions)` : ''}
                          </td>
                          <td>
                            <BandCell band={s?.latest?.band ?? null} score={s?.latest?.score ?? null} />
                          </td>
                          {d.domains.map((dom) => {
                            const cell = s?.domains.find((x) => x.domainId === dom.domainId);
                            return (
                              <td key={dom.domainId}>
                                <BandCell band={cell?.band ?? null} score={cell?.score ?? null} />
                              </td>
                            );
                          })}
                          <td>{s ? String(s.overdueActions) : '—'}</td>
                          <td>{s && s.trend.length > 0 ? s.trend.map((p) => String(Math.round(p.score))).join(' → ') : '—'}</td>
                          <td>{formatDateTime(o.refreshedAt)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>

          <section className="section-gap" aria-labelledby="group-gaps-title">
            <h2 id="group-gaps-title">Shared critical gaps</h2>
            {d.sharedGaps.length === 0 ? (
              <p>No critical gaps among the organisations shown.</p>
            ) : (
              <ol data-testid="group-gaps">
                {d.sharedGaps.slice(0, 20).map((g) => (
                  <li key={g.questionId}>
                    <strong>{g.questionId}</strong>: {String(g.organisations)} of {String(d.totals.shown)} organisations
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      ) : null}

      {group.data ? <GroupReports groupId={groupId} isOwner={isOwner} /> : null}
      {isOwner && group.data ? <GroupAdministration groupId={groupId} /> : null}
    </>
  );
}

/** The group owner's controls: invite or end organisations, add or remove viewers. */
function GroupAdministration({ groupId }: { groupId: string }) {
  const group = useGroup(groupId);
  const invite = useInviteOrganisation(groupId);
  const end = useEndMembership(groupId);
  const addViewer = useAddViewer(groupId);
  const removeViewer = useRemoveViewer(groupId);
  const [organisationId, setOrganisationId] = useState('');
  const [email, setEmail] = useState('');
  if (!group.data) return null;
  const current = group.data.organisations.filter((o) => o.status !== 'ended');

  return (
    <Card aria-labelledby="group-admin-title" className="section-gap">
      <h2 id="group-admin-title">Organisations and people</h2>
      <ul>
        {current.map((o) => (
          <li key={o.organisationId}>
            {o.name ?? <code>{o.organisationId}</code>} — {o.status === 'invited' ? `invited ${formatDateTime(o.invitedAt)}` : `member since ${formatDateTime(o.joinedAt)}`}{' '}
            <Button variant="ghost" onClick={() => end.mutate(o.organisationId)} isLoading={end.isPending && end.variables === o.organisationId}>
              {o.status === 'invited' ? 'Withdraw invitation' : `End ${o.name ?? 'membership'}`}
            </Button>
          </li>
        ))}
      </ul>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate(organisationId.trim(), { onSuccess: () => setOrganisationId('') });
        }}
      >
        <TextField
          label="Invite an organisation by its id"
          value={organisationId}
          onChange={(e) => setOrganisationId(e.target.value)}
          hint="Its owner finds the id on their Groups page and must accept before the group sees anything."
        />
        <Button type="submit" isLoading={invite.isPending}>
          Invite
        </Button>
      </form>
      <h3 className="section-gap">People</h3>
      <ul>
        {group.data.people.map((p) => (
          <li key={p.userId}>
            {p.name} ({p.email}) — {p.role}{' '}
            {p.role === 'viewer' ? (
              <Button variant="ghost" onClick={() => removeViewer.mutate(p.userId)} isLoading={removeViewer.isPending && removeViewer.variables === p.userId}>
                Remove {p.name}
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          addViewer.mutate(email.trim(), { onSuccess: () => setEmail('') });
        }}
      >
        <TextField label="Add a viewer by email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} hint="Someone who already belongs to an organisation here; they see this dashboard only." />
        <Button type="submit" isLoading={addViewer.isPending}>
          Add viewer
        </Button>
      </form>
      {[invite, end, addViewer, removeViewer].map((m, i) =>
        m.error ? (
          <Alert key={i} tone="error" title="That did not go through">
            {describeError(m.error)}
          </Alert>
        ) : null,
      )}
    </Card>
  );
}
