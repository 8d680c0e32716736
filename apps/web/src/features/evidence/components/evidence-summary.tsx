import { evidenceOpenWay } from '@hoh/contracts';
import type { EvidenceResponse } from '@hoh/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';
import { describeError } from '@/lib/api-client';
import { formatDate, formatDateTime } from '@/lib/format';
import { can } from '@/lib/permissions';
import { useCurrentMembership } from '@/features/auth';
import { declareEvidenceLookedUp, evidencePath, fetchEvidenceContent, useEvidenceOpened } from '../api/evidence';
import { EVIDENCE_KIND_LABELS, EVIDENCE_STATUS_LABELS } from '../vocabulary';
import { PdfPreview } from './pdf-preview';
import './evidence-summary.css';

/** Who is looking: decides which controls the server would accept from them. */
export interface EvidenceViewer {
  userId: string;
  /** The member's role allows reviewing evidence ('manage'). */
  mayManage: boolean;
}

export interface EvidenceReviewControls {
  accept: boolean;
  reject: boolean;
  /** The member could accept it once they open it: say so beside the Open control. */
  openFirst: boolean;
}

/**
 * Which review controls to offer, so none is offered that the server would refuse (docs/API.md,
 * issue 24): nobody reviews their own upload (409); accepting needs an open recorded for this member
 * (409 EVIDENCE_NOT_OPENED), rejecting does not; nothing is offered that would change nothing.
 */
export function evidenceReviewControls(evidence: Pick<EvidenceResponse, 'status' | 'uploadedBy' | 'openedByYouAt'>, viewer: EvidenceViewer): EvidenceReviewControls {
  const mayReview = viewer.mayManage && evidence.uploadedBy.userId !== viewer.userId;
  const opened = evidence.openedByYouAt !== null;
  return {
    accept: mayReview && opened && evidence.status !== 'accepted',
    reject: mayReview && evidence.status !== 'rejected',
    openFirst: mayReview && !opened && evidence.status !== 'accepted',
  };
}

/** A previewable upload: the sniffed type (never the client's claim) says PDF. */
export const isPdf = (evidence: Pick<EvidenceResponse, 'source' | 'mediaType'>): boolean => evidence.source === 'file' && evidence.mediaType === 'application/pdf';

export interface EvidenceSummaryProps {
  /** The evidence as the server last sent it to the signed-in member (openedByYouAt is per member). */
  evidence: EvidenceResponse;
  /**
   * Called when the member chooses Accept or Reject; the caller sends the review (and asks for a
   * reject reason). Omit it to show no review controls at all. Even when given, Accept shows only if
   * the member may manage, did not upload the evidence and has opened it; Reject only if they may
   * manage and did not upload it (see evidenceReviewControls).
   */
  onReview?: ((evidence: EvidenceResponse, decision: 'accept' | 'reject') => void) | undefined;
  /** A review of this item is in flight: its review buttons show busy. */
  reviewing?: boolean | undefined;
  /**
   * Called once an open is recorded. Every query under ['orgs', orgId, 'evidence'] is refetched
   * anyway (so openedByYouAt, and with it Accept, appears); pass this to refetch a query of your own.
   */
  onOpened?: (() => void) | undefined;
  /** 'full' (default): facts on their own lines; 'compact': one line of facts, for dense lists. */
  density?: 'full' | 'compact' | undefined;
}

const shortHash = (sha: string) => `${sha.slice(0, 12)}…`;

function sizeText(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${String(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the download; the URL is not needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * One evidence item wherever it is shown (library, question card, review list): its name, kind in
 * words, SHA-256, expiry and review state, with the way to open it that fits it (Preview and Download
 * for a PDF, Download for other files, Open link for a URL, "I looked it up" for a document id) and,
 * for a reviewer, Accept and Reject under the server's rules. Opening records an open on the server
 * and then refetches the evidence, so Accept appears once it may be used.
 */
export function EvidenceSummary({ evidence, onReview, reviewing = false, onOpened, density = 'full' }: EvidenceSummaryProps) {
  const { user, membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const viewer: EvidenceViewer = { userId: user.id, mayManage: can(membership, 'manage') };
  const controls = onReview ? evidenceReviewControls(evidence, viewer) : { accept: false, reject: false, openFirst: false };
  const way = evidenceOpenWay(evidence);
  const refetch = useEvidenceOpened(orgId);
  const [previewing, setPreviewing] = useState(false);
  const opened = () => {
    void refetch();
    onOpened?.();
  };

  const download = useMutation({
    mutationFn: async () => saveBlob(await fetchEvidenceContent(orgId, evidence.id), evidence.fileName ?? `${evidence.title}`),
    onSuccess: opened,
  });
  const lookedUp = useMutation({ mutationFn: () => declareEvidenceLookedUp(orgId, evidence.id), onSuccess: opened });
  const error = download.error ?? lookedUp.error;

  const name = evidence.title;
  const fileLine = way === 'file' ? [evidence.fileName, sizeText(evidence.sizeBytes)].filter(Boolean).join(' · ') : null;

  return (
    <div className={`evidence-summary evidence-summary--${density}`} data-evidence-id={evidence.id}>
      <div className="evidence-summary__head">
        <span className="evidence-summary__title">{name}</span>{' '}
        <span className="tag evidence-summary__kind">{EVIDENCE_KIND_LABELS[evidence.kind]}</span>{' '}
        <span className={`tag tag--evidence-${evidence.status}`}>{EVIDENCE_STATUS_LABELS[evidence.status]}</span>
        {evidence.expired ? (
          <>
            {' '}
            <span className="tag tag--overdue">Expired</span>
          </>
        ) : null}
      </div>
      <ul className="evidence-summary__facts small" aria-label={`About ${name}`}>
        {fileLine ? <li className="break">{fileLine}</li> : null}
        {way === 'link' ? (
          <li className="break">
            Link: <span className="evidence-summary__ref">{evidence.externalRef}</span>
          </li>
        ) : null}
        {way === 'reference' ? (
          <li>
            Document id in your own system: <code>{evidence.externalRef}</code>
          </li>
        ) : null}
        {evidence.sha256 ? (
          <li className="evidence-summary__hash">
            SHA-256{' '}
            <code title={evidence.sha256} aria-label={`SHA-256 ${evidence.sha256}`}>
              {shortHash(evidence.sha256)}
            </code>{' '}
            <CopyButton value={evidence.sha256} label="Copy SHA-256" />
          </li>
        ) : null}
        <li>
          {evidence.expired ? 'Expired' : 'Expires'} {formatDate(evidence.expiresAt)}
          {evidence.expiryExplicit ? '' : ' (issue + 12 months)'}
        </li>
        <li>
          Added by {evidence.uploadedBy.name}
          {evidence.reviewer ? ` · ${evidence.status === 'rejected' ? 'rejected' : 'reviewed'} by ${evidence.reviewer.name}, ${formatDate(evidence.reviewer.reviewedAt)}` : ''}
        </li>
        {evidence.reviewReason ? <li>Reason: {evidence.reviewReason}</li> : null}
        {evidence.counts ? <li>Counts towards the score</li> : null}
        <li className="evidence-summary__opened">
          {evidence.openedByYouAt
            ? `${way === 'reference' ? 'You looked it up' : 'You opened it'} ${formatDateTime(evidence.openedByYouAt)}`
            : way === 'reference'
              ? 'You have not looked it up yet'
              : 'You have not opened it yet'}
        </li>
      </ul>
      <div className="evidence-summary__actions">
        {isPdf(evidence) ? (
          <Button variant="secondary" className="btn--small" onClick={() => setPreviewing(true)} aria-label={`Preview ${name}`}>
            Preview
          </Button>
        ) : null}
        {way === 'file' ? (
          <Button variant="secondary" className="btn--small" onClick={() => download.mutate()} isLoading={download.isPending} aria-label={`Download ${name}`}>
            Download
          </Button>
        ) : null}
        {way === 'link' ? (
          <a
            className="btn btn--secondary btn--small"
            href={evidencePath(orgId, evidence.id, '/open')}
            target="_blank"
            rel="noopener noreferrer"
            aria-label={`Open link ${name} (new tab)`}
            onClick={() => {
              // GET …/open records the open before redirecting; refetch once the member comes back.
              window.addEventListener('focus', opened, { once: true });
            }}
          >
            Open link
          </a>
        ) : null}
        {way === 'reference' ? (
          <Button variant="secondary" className="btn--small" onClick={() => lookedUp.mutate()} isLoading={lookedUp.isPending} aria-label={`I looked up ${name}`}>
            I looked it up
          </Button>
        ) : null}
        {controls.accept ? (
          <Button variant="secondary" className="btn--small" onClick={() => onReview?.(evidence, 'accept')} isLoading={reviewing} aria-label={`Accept ${name}`}>
            Accept
          </Button>
        ) : null}
        {controls.reject ? (
          <Button variant="ghost" className="btn--small" onClick={() => onReview?.(evidence, 'reject')} disabled={reviewing} aria-label={`Reject ${name}`}>
            Reject…
          </Button>
        ) : null}
        {controls.openFirst ? (
          <span className="small muted evidence-summary__hint">{way === 'reference' ? 'Look it up before you accept it.' : 'Open it before you accept it.'}</span>
        ) : null}
      </div>
      {error ? (
        <Alert tone="error" title={download.error ? 'Not downloaded' : 'Not recorded'}>
          {describeError(error)}
        </Alert>
      ) : null}
      {previewing ? (
        <Dialog
          title={`Preview: ${evidence.fileName ?? name}`}
          description="Shown in a sealed frame: nothing in the file can run, follow links or reach your account."
          onClose={() => setPreviewing(false)}
          actions={
            <>
              <Button variant="secondary" onClick={() => download.mutate()} isLoading={download.isPending}>
                Download
              </Button>
              <Button variant="secondary" onClick={() => setPreviewing(false)}>
                Close
              </Button>
            </>
          }
        >
          <PdfPreview orgId={orgId} evidenceId={evidence.id} fileName={evidence.fileName ?? name} onOpened={opened} />
        </Dialog>
      ) : null}
    </div>
  );
}
