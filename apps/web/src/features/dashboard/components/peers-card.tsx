import { cohortLabel, type PeerComparison, PeerComparisonSchema } from '@hoh/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { apiClient, describeError } from '@/lib/api-client';
import { formatDate } from '@/lib/format';
import { orgPath } from '@/features/organisations';

const peersKey = (orgId: string) => ['orgs', orgId, 'peers'] as const;

export const usePeers = (orgId: string) =>
  useQuery({ queryKey: peersKey(orgId), queryFn: ({ signal }): Promise<PeerComparison> => apiClient.get(orgPath(orgId, '/peers'), PeerComparisonSchema, signal) });

export function useSetPeerOptIn(orgId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (optIn: boolean): Promise<PeerComparison> => apiClient.put(orgPath(orgId, '/peers/settings'), { optIn }, PeerComparisonSchema),
    onSuccess: (data) => queryClient.setQueryData(peersKey(orgId), data),
  });
}

const REASONS: Record<NonNullable<PeerComparison['reason']>, string> = {
  not_opted_in: 'Your organisation does not take part in the peer benchmark. Taking part shares only your signed score in anonymous cohorts of at least 10 organisations; you then see where you stand.',
  no_signed_assessment: 'You take part. Peers are compared on signed assessments: sign off an assessment to be counted and to see your peers.',
  profile_incomplete: 'You take part, but the profile your assessment was signed with does not say your services, UK users and jurisdictions. Complete the profile and sign your next assessment.',
  no_published_cohort: 'You take part. No cohort you belong to has enough organisations on your question bank version yet; figures are recomputed on the 1st of each month.',
};

/**
 * "You vs peers" (docs/PRODUCT.md §16.4): the newest signed score against the finest published
 * cohort's median and quartiles, with its size and date; owners opt in or out here.
 */
export function PeersCard({ orgId, canAdminister }: { orgId: string; canAdminister: boolean }) {
  const peers = usePeers(orgId);
  const setOptIn = useSetPeerOptIn(orgId);
  const data = peers.data;
  if (peers.isPending) return <p className="muted">Loading peers…</p>;
  if (!data) return <p className="muted">Peers could not be loaded. {peers.error ? describeError(peers.error) : ''}</p>;
  const cohort = data.cohort;
  return (
    <>
      {cohort && data.you ? (
        <>
          <p>
            Your signed score <strong>{data.you.score}</strong> against {cohortLabel(cohort)}: median <strong>{cohort.overall.median}</strong>, middle half{' '}
            {cohort.overall.q1}–{cohort.overall.q3}.
          </p>
          <p className="muted small">
            {cohort.size} organisations on bank {cohort.bankVersion}, computed {formatDate(cohort.computedAt)}. Whole points; medians and quartiles only.
          </p>
          {cohort.domains.length > 0 ? (
            <table className="table" aria-label="Your domain scores against peers">
              <thead>
                <tr>
                  <th scope="col">Domain</th>
                  <th scope="col">You</th>
                  <th scope="col">Peer median</th>
                  <th scope="col">Middle half</th>
                </tr>
              </thead>
              <tbody>
                {cohort.domains.map((d) => (
                  <tr key={d.domainId}>
                    <th scope="row">{d.domainId}</th>
                    <td>{data.you?.domains.find((y) => y.domainId === d.domainId)?.score ?? '—'}</td>
                    <td>{d.median}</td>
                    <td>
                      {d.q1}–{d.q3}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : (
        <p className="muted">{data.reason ? REASONS[data.reason] : null}</p>
      )}
      {setOptIn.error ? (
        <Alert tone="error" title="The peer benchmark setting was not changed">
          {describeError(setOptIn.error)}
        </Alert>
      ) : null}
      {canAdminister ? (
        <Button variant={data.optedIn ? 'ghost' : 'secondary'} onClick={() => setOptIn.mutate(!data.optedIn)} isLoading={setOptIn.isPending}>
          {data.optedIn ? 'Leave the peer benchmark' : 'Take part in the peer benchmark'}
        </Button>
      ) : null}
    </>
  );
}
