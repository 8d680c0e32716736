import type { EvidenceKind } from '@hoh/question-bank';
import { useId, useRef, useState } from 'react';
import type { DragEvent } from 'react';

import { Alert } from '@/components/ui/alert';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { ApiError, describeError } from '@/lib/api-client';
import { useCurrentMembership } from '@/features/auth';
import { useEvidenceItem } from '@/features/evidence';
import { EvidenceSummary } from '@/features/evidence';
import { RefusalMessage } from '@/features/evidence';
import { EVIDENCE_KIND_LABELS as KIND_LABELS } from '@/features/evidence';
import { useUploadEvidence } from '../api/upload-evidence';
import '../assessments.css';

export interface EvidencePanelProps {
  evidenceIds: readonly string[];
  kinds: readonly EvidenceKind[];
  /** Present when the member may upload evidence for this answer. */
  upload?: { orgId: string; assessmentId: string; questionId: string } | undefined;
}

/** Evidence linked to the answer, and (for those who may) a drop zone to upload and link a document. */
export function EvidencePanel({ evidenceIds, kinds, upload }: EvidencePanelProps) {
  return (
    <section className="evidence" aria-label="Evidence">
      <h4 className="evidence__title">Evidence</h4>
      <p className="muted small">
        Accepted kinds: {kinds.map((k) => KIND_LABELS[k]).join(', ')}. Claims of level 3 or more count as 2 until evidence is accepted.
      </p>
      {evidenceIds.length > 0 ? (
        <ul className="evidence__list" aria-label="Linked evidence">
          {evidenceIds.map((id) => (
            <li key={id}>
              <LinkedEvidence id={id} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="small">No evidence linked yet.</p>
      )}
      {upload ? <EvidenceDrop {...upload} kinds={kinds.filter((k) => k !== 'external_reference')} /> : null}
    </section>
  );
}

/** A linked item by its name, kind, hash, expiry and state, with the way to open it (the answer holds only ids). */
function LinkedEvidence({ id }: { id: string }) {
  const { membership } = useCurrentMembership();
  const item = useEvidenceItem(membership.organisationId, id);
  if (item.data) return <EvidenceSummary evidence={item.data} density="compact" />;
  if (item.error) {
    return (
      <span className="small">
        Evidence {id.slice(0, 8)}… could not be loaded: {describeError(item.error)}
      </span>
    );
  }
  return <Spinner label="Loading evidence…" />;
}

function EvidenceDrop({ orgId, assessmentId, questionId, kinds }: { orgId: string; assessmentId: string; questionId: string; kinds: readonly EvidenceKind[] }) {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [kind, setKind] = useState<EvidenceKind>(kinds[0] ?? 'other');
  const [over, setOver] = useState(false);
  const uploadEvidence = useUploadEvidence(orgId, assessmentId, questionId);

  const send = (file: File | undefined) => {
    if (file) {
      uploadEvidence.mutate({ file, kind });
    }
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    send(e.dataTransfer.files[0]);
  };
  // The 415 refusal says what to upload instead and never to upload abuse material: shown verbatim.
  const refused = uploadEvidence.error instanceof ApiError && uploadEvidence.error.status === 415;

  return (
    <div className="evidence__upload">
      <SelectField
        label={`Kind of evidence for ${questionId}`}
        value={kind}
        onChange={(e) => setKind(e.target.value as EvidenceKind)}
        options={(kinds.length > 0 ? kinds : (['other'] as const)).map((k) => ({ value: k, label: KIND_LABELS[k] }))}
      />
      <div
        className={`dropzone${over ? ' is-over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>
          Drop a PDF, office document, CSV or text file here, or{' '}
          <label htmlFor={inputId} className="dropzone__browse">
            choose a file
          </label>
          .
        </p>
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          className="visually-hidden"
          accept=".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.csv,.txt"
          onChange={(e) => {
            send(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <p className="small muted">Never upload images, video or suspected material.</p>
      </div>
      <div role="status" aria-live="polite" className="small">
        {uploadEvidence.isPending ? 'Uploading…' : null}
        {uploadEvidence.isSuccess && !uploadEvidence.isPending ? `Uploaded and linked “${uploadEvidence.data.title}”; it counts once an assessor accepts it.` : null}
      </div>
      {uploadEvidence.error ? (
        <Alert tone="error" title={refused ? 'This file was refused' : 'Not uploaded'}>
          <RefusalMessage text={describeError(uploadEvidence.error)} />
        </Alert>
      ) : null}
    </div>
  );
}
