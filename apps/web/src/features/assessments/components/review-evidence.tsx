import { EvidenceResponseSchema, evidenceOpenWay } from '@hoh/contracts';
import type { EvidenceResponse } from '@hoh/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { Button } from '../../../components/ui/button';
import { apiClient, describeError } from '../../../lib/api-client';
import { formatDate } from '../../../lib/format';

import { evidenceItemKey, evidencePath } from '../api/review-evidence';

const STATE_TEXT = { pending: 'Pending review', accepted: 'Accepted', rejected: 'Rejected' } as const;

export const kindLabel = (kind: string) => {
  const words = kind.replace(/_/g, ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
};

/**
 * Records an open the way the contract asks for each kind of evidence: a file is fetched from
 * …/content (which records the open) and saved as a download, never rendered in our origin; a
 * link is followed through …/open (which records it, then redirects); a document id is declared
 * looked up with POST …/opens.
 */
async function openEvidence(orgId: string, e: EvidenceResponse): Promise<EvidenceResponse | null> {
  const way = evidenceOpenWay(e);
  if (way === 'reference') {
    return apiClient.post(evidencePath(orgId, e.id, '/opens'), {}, EvidenceResponseSchema);
  }
  if (way === 'link') {
    window.open(evidencePath(orgId, e.id, '/open'), '_blank', 'noopener');
    return null;
  }
  const res = await fetch(evidencePath(orgId, e.id, '/content'), { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`The file could not be downloaded (HTTP ${String(res.status)}). Reload the page and try again.`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = e.fileName ?? e.title;
  a.click();
  URL.revokeObjectURL(url);
  return null;
}

/** One linked evidence item: name, kind, review state, expiry and an Open control (every reader may open). */
export function EvidenceLine({ orgId, evidence }: { orgId: string; evidence: EvidenceResponse }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const way = evidenceOpenWay(evidence);
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      const updated = await openEvidence(orgId, evidence);
      if (updated) queryClient.setQueryData(evidenceItemKey(orgId, evidence.id), updated);
      else await queryClient.invalidateQueries({ queryKey: evidenceItemKey(orgId, evidence.id), exact: true });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const openLabel = way === 'reference' ? 'Looked it up' : way === 'link' ? 'Open link' : 'Download';
  return (
    <div className="review-evidence">
      <span className="review-evidence__title">{evidence.title}</span>{' '}
      <span className="muted small">
        {kindLabel(evidence.kind)}
        {evidence.fileName ? ` · ${evidence.fileName}` : ''}
        {evidence.sha256 ? ` · SHA-256 ${evidence.sha256.slice(0, 12)}…` : ''} · {evidence.expired ? 'expired' : 'expires'} {formatDate(evidence.expiresAt)}
      </span>{' '}
      <span className={`tag tag--evidence-${evidence.status}`}>{STATE_TEXT[evidence.status]}</span>
      {evidence.openedByYouAt ? <span className="tag">Opened by you</span> : null}{' '}
      <Button variant="ghost" className="btn--small" isLoading={busy} onClick={() => void open()} aria-label={`${openLabel}: ${evidence.title}`}>
        {openLabel}
      </Button>
      {error ? (
        <span role="alert" className="field__error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
