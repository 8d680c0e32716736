import type { EvidenceResponse } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Dialog } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TextareaField } from '@/components/ui/textarea-field';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useEvidence, useReviewEvidence } from '@/features/evidence/api/evidence';
import { AddExternalEvidence } from '@/features/evidence/components/add-external-evidence';
import { EvidenceTable } from '@/features/evidence/components/evidence-table';
import { describeError } from '@/lib/api-client';
import { can } from '@/lib/permissions';

export function Component() {
  const { membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const canReview = can(membership, 'manage');
  const canAdd = can(membership, 'contribute');
  const [status, setStatus] = useState('');
  const evidence = useEvidence(orgId, status);
  const review = useReviewEvidence(orgId);
  const [rejecting, setRejecting] = useState<EvidenceResponse | null>(null);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);

  const onReview = (item: EvidenceResponse, decision: 'accept' | 'reject') => {
    review.reset();
    if (decision === 'accept') {
      review.mutate({ id: item.id, body: { decision: 'accept' } });
    } else {
      setReason('');
      setMissing(false);
      setRejecting(item);
    }
  };

  return (
    <>
      <PageHeader
        title="Evidence"
        lead="Documents and references that back the answers. Only accepted, unexpired evidence lifts a score cap; evidence expires 12 months after issue unless it says otherwise."
      />
      {canAdd ? (
        <Card aria-labelledby="add-evidence-title">
          <h2 id="add-evidence-title">Add an external reference</h2>
          <p className="muted">The preferred form: link to the document in your own system rather than uploading it. Upload files from a question in the questionnaire.</p>
          <AddExternalEvidence orgId={orgId} />
        </Card>
      ) : null}

      <section className="section-gap" aria-labelledby="library-title">
        <div className="section-head">
          <h2 id="library-title">Library</h2>
          <div className="section-head__actions">
            <SelectField
              label="Show"
              value={status}
              onChange={(e) => setStatus(e.target.value)}
              options={[
                { value: '', label: 'All evidence' },
                { value: 'pending', label: 'Pending review' },
                { value: 'accepted', label: 'Accepted' },
                { value: 'rejected', label: 'Rejected' },
              ]}
            />
          </div>
        </div>
        {review.error && !rejecting ? (
          <Alert tone="error" title="The review was not recorded">
            {describeError(review.error)}
          </Alert>
        ) : null}
        {evidence.isPending ? <Spinner label="Loading evidence…" /> : null}
        {evidence.error ? <LoadError what="the evidence" error={evidence.error} onRetry={() => void evidence.refetch()} /> : null}
        {evidence.data && evidence.data.length === 0 ? (
          <EmptyState title={status ? 'Nothing with this status' : 'No evidence yet'}>
            <p>
              {status
                ? 'Choose “All evidence” to see the rest.'
                : canAdd
                  ? 'Add an external reference above, or attach a document to a question in the questionnaire.'
                  : 'Evidence appears here once members add it.'}
            </p>
          </EmptyState>
        ) : null}
        {evidence.data && evidence.data.length > 0 ? <EvidenceTable items={evidence.data} onReview={canReview ? onReview : undefined} reviewingId={review.isPending ? review.variables.id : null} /> : null}
      </section>

      {rejecting ? (
        <Dialog
          title={`Reject “${rejecting.title}”?`}
          description="Say why, so the uploader knows what to provide instead. Rejected evidence counts as none."
          onClose={() => setRejecting(null)}
          onSubmit={() => {
            if (reason.trim() === '') {
              setMissing(true);
              return;
            }
            review.mutate({ id: rejecting.id, body: { decision: 'reject', reason: reason.trim() } }, { onSuccess: () => setRejecting(null) });
          }}
          actions={
            <>
              <Button type="submit" variant="danger" isLoading={review.isPending}>
                Reject
              </Button>
              <Button variant="secondary" onClick={() => setRejecting(null)}>
                Cancel
              </Button>
            </>
          }
        >
          {review.error ? (
            <Alert tone="error" title="Not rejected">
              {describeError(review.error)}
            </Alert>
          ) : null}
          <TextareaField
            label="Why is it rejected? (required)"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setMissing(false);
            }}
            error={missing ? 'Say why the evidence is rejected' : undefined}
          />
        </Dialog>
      ) : null}
    </>
  );
}
