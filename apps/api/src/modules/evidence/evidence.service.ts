import { createHash, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type {
  AnswerEvidenceLink,
  CreateExternalEvidenceRequest,
  EvidenceListQuery,
  EvidencePage,
  EvidenceResponse,
  EvidenceStatus,
  ReviewEvidenceBatchRequest,
  ReviewEvidenceRequest,
  UploadEvidenceFields,
} from '@hoh/contracts';
import { evidenceOpenWay } from '@hoh/contracts';
import { getFramework } from '@hoh/question-bank';
import { evidenceExpiry } from '@hoh/scoring-engine';

import { AppError, notFound } from '../../common/app-error.js';
import { checkOptionalIfMatch } from '../../common/concurrency.js';
import { decodeCursor, encodeCursor } from '../../common/keyset-cursor.js';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../config/clock.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { EncryptedObjects } from '../storage/encrypted-objects.js';
import { DEFAULT_SNIFF_LIMITS, type SniffLimits, sniffEvidence } from './content-sniffer.js';
import { type EvidenceOpenHow, EvidenceRepository, type EvidenceRow } from './evidence.repository.js';
import { refusalMessage } from './refusal-message.js';
import { safeFileName } from './safe-file-name.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toResponse(r: EvidenceRow, now = Date.now()): EvidenceResponse {
  // The scoring engine's rule, so the list says "expired" exactly when the score stops counting it.
  const expiry = new Date(evidenceExpiry(r.issued_at.getTime(), r.expires_at?.getTime() ?? null));
  const expired = now >= expiry.getTime();
  return {
    id: r.id,
    title: r.title,
    kind: r.kind,
    source: r.source,
    fileName: r.file_name,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    sha256: r.sha256,
    externalRef: r.external_ref,
    issuedAt: r.issued_at.toISOString(),
    expiresAt: expiry.toISOString(),
    expiryExplicit: r.expires_at !== null,
    expired,
    status: r.status,
    counts: r.status === 'accepted' && !expired,
    reviewReason: r.review_reason,
    reviewer: r.reviewer_id && r.reviewed_at ? { userId: r.reviewer_id, name: r.reviewer_name ?? '', reviewedAt: r.reviewed_at.toISOString() } : null,
    uploadedBy: { userId: r.uploaded_by, name: r.uploader_name },
    createdAt: r.created_at.toISOString(),
    version: r.version,
    linkedAnswers: r.linked.map((l) => ({ assessmentId: l.assessmentId, questionId: l.questionId, linkedAt: new Date(l.linkedAt).toISOString() })),
    openedByYouAt: r.opened_by_you_at ? r.opened_by_you_at.toISOString() : null,
  };
}

export interface UploadedFile {
  fileName: string | undefined;
  bytes: Buffer;
  /** The stream hit EVIDENCE_MAX_BYTES and was cut off. */
  truncated: boolean;
}

@Injectable()
export class EvidenceService {
  constructor(
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly evidence: EvidenceRepository,
    private readonly objects: EncryptedObjects,
  ) {}

  get maxBytes(): number {
    return this.config.env.EVIDENCE_MAX_BYTES;
  }

  private get limits(): SniffLimits {
    return { ...DEFAULT_SNIFF_LIMITS, embeddedImageBytes: this.config.env.EVIDENCE_EMBEDDED_IMAGE_BYTES };
  }

  async list(query: EvidenceListQuery): Promise<EvidencePage> {
    // One row past the page says whether there is a next one.
    const rows = await this.evidence.list({ status: query.status ?? null, kind: query.kind ?? null, after: decodeCursor(query.cursor), limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toResponse(r)),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.created_key, last.id) : null,
    };
  }

  private async row(id: string, lock = false): Promise<EvidenceRow> {
    if (!UUID.test(id)) throw notFound('evidence');
    const row = await this.evidence.find(id, lock);
    if (!row) throw notFound('evidence');
    return row;
  }

  async get(id: string): Promise<EvidenceResponse> {
    return toResponse(await this.row(id));
  }

  async createExternal(input: CreateExternalEvidenceRequest): Promise<EvidenceResponse> {
    const id = randomUUID();
    await this.evidence.insertExternal({
      id,
      title: input.title,
      kind: input.kind,
      externalRef: input.externalRef,
      issuedAt: input.issuedAt,
      expiresAt: input.expiresAt ?? null,
      uploadedBy: currentMember().userId,
    });
    await this.audit.append({
      action: 'evidence.referenced',
      entityType: 'evidence',
      entityId: id,
      data: { title: input.title, kind: input.kind, source: 'external', externalRef: input.externalRef, issuedAt: input.issuedAt, expiresAt: input.expiresAt ?? null },
    });
    return this.get(id);
  }

  /**
   * Checks run in docs/API.md §3.5's order after the fields (400): size (413), content (415), quota (413).
   * Nothing is written unless every check passes.
   */
  async upload(fields: UploadEvidenceFields, file: UploadedFile): Promise<EvidenceResponse> {
    if (file.truncated || file.bytes.length > this.maxBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than the ${formatBytes(this.maxBytes)} limit. Upload a smaller export (e.g. only the relevant pages), or add it as an external reference (a URL or document id in your own system).`);
    }
    const verdict = sniffEvidence(file.bytes, file.fileName, this.limits);
    if (!verdict.ok) throw new AppError('UNSUPPORTED_EVIDENCE', refusalMessage(verdict));

    const usedBytes = await this.evidence.lockQuotaAndMeasure();
    const quota = this.config.env.EVIDENCE_QUOTA_BYTES;
    if (usedBytes + file.bytes.length > quota) {
      throw new AppError(
        'QUOTA_EXCEEDED',
        `Your organisation has used ${formatBytes(usedBytes)} of its ${formatBytes(quota)} evidence storage, and this file needs ${formatBytes(file.bytes.length)}. Add the evidence as an external reference (a URL or document id in your own system) instead, or ask us to raise the quota.`,
      );
    }

    const id = randomUUID();
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    const fileName = safeFileName(file.fileName, verdict.extension);
    // Stored before the row: a failed put writes nothing; a row that then fails to commit leaves an
    // unreferenced object (content-addressed: the same file uploaded again reuses its name).
    const location = await this.objects.put(file.bytes, sha256);
    await this.evidence.insertFile(
      {
        id,
        title: fields.title,
        kind: fields.kind,
        fileName,
        mediaType: verdict.mediaType,
        sha256,
        sizeBytes: file.bytes.length,
        issuedAt: fields.issuedAt,
        expiresAt: fields.expiresAt ?? null,
        uploadedBy: currentMember().userId,
      },
      location,
    );
    await this.audit.append({
      action: 'evidence.uploaded',
      entityType: 'evidence',
      entityId: id,
      data: {
        title: fields.title,
        kind: fields.kind,
        source: 'file',
        fileName,
        mediaType: verdict.mediaType,
        sizeBytes: file.bytes.length,
        sha256,
        embeddedImageBytes: verdict.embeddedImageBytes,
        issuedAt: fields.issuedAt,
        expiresAt: fields.expiresAt ?? null,
      },
    });
    return this.get(id);
  }

  /** `record` false for a HEAD request (Fastify answers HEAD with the GET handler): nobody saw the content. */
  async content(id: string, record = true): Promise<{ bytes: Buffer; mediaType: string; fileName: string; sha256: string }> {
    const evidence = await this.row(id);
    if (evidence.source !== 'file') {
      throw new AppError('NOT_FOUND', 'This evidence is an external reference and has no file here; open its externalRef in your own system.');
    }
    const stored = await this.evidence.content(id);
    if (!stored || (!stored.location && !stored.bytes) || !evidence.sha256) throw notFound('evidence file');
    const bytes = stored.location ? await this.objects.get(stored.location, evidence.sha256) : this.checkedUnmoved(stored.bytes!, evidence.sha256);
    if (record) await this.recordOpen(evidence, 'content');
    return { bytes, mediaType: evidence.media_type ?? 'application/octet-stream', fileName: evidence.file_name ?? 'evidence', sha256: evidence.sha256 ?? '' };
  }

  /** Bytes not yet moved to the store get the same SHA-256 check as an object (docs/PRODUCT.md §6.6). */
  private checkedUnmoved(bytes: Buffer, sha256: string): Buffer {
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      throw new AppError('INTERNAL_ERROR', 'This file is damaged in the database, so it is not shown (its SHA-256 no longer matches what was uploaded). Ask your administrator to restore it from a backup.');
    }
    return bytes;
  }

  /**
   * Records that the caller opened this evidence (docs/PRODUCT.md: accepting requires opening): the
   * row the accept check reads, moved forward on every open, and an `evidence.opened` audit entry.
   */
  private async recordOpen(evidence: EvidenceRow, how: EvidenceOpenHow): Promise<void> {
    await this.evidence.recordOpen(evidence.id, currentMember().userId, this.clock.now(), how);
    await this.audit.append({
      action: 'evidence.opened',
      entityType: 'evidence',
      entityId: evidence.id,
      data: { how, source: evidence.source, sha256: evidence.sha256, externalRef: evidence.external_ref },
    });
  }

  /**
   * GET …/open: says where to send the caller (303): the external URL for a link (the open recorded
   * here, since the link leaves us), the download for a file (recorded by …/content when the bytes are
   * fetched, so one open is one entry). A document id has nowhere to go: 409 with what to do instead.
   */
  async open(id: string, record = true): Promise<{ location: string }> {
    const evidence = await this.row(id);
    const way = evidenceOpenWay({ source: evidence.source, externalRef: evidence.external_ref });
    if (way === 'reference') {
      throw new AppError(
        'EVIDENCE_NOT_A_LINK',
        `This evidence is a document id in your own system ("${(evidence.external_ref ?? '').slice(0, 200)}"), not a link we can open. Look it up there, then record that you did with POST …/evidence/${id}/opens.`,
      );
    }
    if (way === 'file') return { location: `/api/v1/orgs/${currentMember().organisationId}/evidence/${id}/content` };
    if (record) await this.recordOpen(evidence, 'link');
    return { location: new URL(evidence.external_ref ?? '').href };
  }

  /** POST …/opens: the caller declares they looked a document id up in their own system. */
  async declareOpened(id: string): Promise<EvidenceResponse> {
    const evidence = await this.row(id);
    const way = evidenceOpenWay({ source: evidence.source, externalRef: evidence.external_ref });
    if (way !== 'reference') {
      const how = way === 'file' ? `download it (GET …/evidence/${id}/content)` : `follow its link (GET …/evidence/${id}/open)`;
      throw new AppError('EVIDENCE_OPEN_IT', `This evidence can be opened here, so open it instead of declaring it: ${how}.`);
    }
    await this.recordOpen(evidence, 'declared');
    return this.get(id);
  }

  private static notOpened(id: string): string {
    return `Open this evidence before accepting it (download the file, follow the link, or for a document id look it up and POST …/evidence/${id}/opens); then accept it again.`;
  }

  /**
   * Four eyes: the uploader cannot review their own evidence (409). Re-reviewing is allowed (an
   * accepted document can later be rejected), but repeating the current decision is a 409.
   * Accepting needs an open of the caller's on record (409 EVIDENCE_NOT_OPENED); rejecting does not.
   */
  async review(id: string, input: ReviewEvidenceRequest, ifMatch: number | undefined): Promise<EvidenceResponse> {
    const { userId } = currentMember();
    const before = await this.row(id, true);
    checkOptionalIfMatch(ifMatch, before.version, toResponse(before));
    if (before.uploaded_by === userId) {
      throw new AppError('INVALID_STATE', 'You added this evidence, so someone else must review it: ask another owner or assessor.');
    }
    const status: EvidenceStatus = input.decision === 'accept' ? 'accepted' : 'rejected';
    if (before.status === status) {
      throw new AppError('INVALID_STATE', `This evidence is already ${status}. Choose the other decision to change it.`);
    }
    if (status === 'accepted' && before.opened_by_you_at === null) {
      throw new AppError('EVIDENCE_NOT_OPENED', EvidenceService.notOpened(id));
    }
    const reason = input.reason && input.reason.length > 0 ? input.reason : null;
    const updated = await this.evidence.review(id, { status, reason, reviewerId: userId, at: this.clock.now() }, before.version);
    if (!updated) throw new AppError('PRECONDITION_FAILED', 'Someone else reviewed this evidence at the same moment; reload and try again.');
    await this.audit.append({ action: 'evidence.reviewed', entityType: 'evidence', entityId: id, data: { decision: input.decision, status: { from: before.status, to: status }, reason, sha256: before.sha256 } });
    return this.get(id);
  }

  /**
   * POST …/evidence/reviews: one decision for many items, all or nothing (the request's one
   * transaction: any refusal rolls every write back). Checks, each over all items before any write:
   * 404 unknown ids → 409 own uploads → 409 EVIDENCE_NOT_OPENED (accepting). An item already in the
   * requested state is left as it is (no write, no entry), so a batch that overlaps another
   * reviewer's work still goes through. Answers the items in request order.
   */
  async reviewMany(input: ReviewEvidenceBatchRequest): Promise<EvidenceResponse[]> {
    const { userId } = currentMember();
    const ids = input.evidenceIds.map((id) => id.toLowerCase());
    const rows = await this.evidence.findMany(ids, true);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const refuse = (code: 'NOT_FOUND' | 'INVALID_STATE' | 'EVIDENCE_NOT_OPENED', message: string, failing: (r: EvidenceRow | undefined) => boolean, detail: (id: string) => string) => {
      const details = ids.flatMap((id, i) => (failing(byId.get(id)) ? [{ path: `evidenceIds.${i}`, message: detail(id) }] : []));
      if (details.length > 0) throw new AppError(code, message, { details });
    };
    refuse('NOT_FOUND', 'Some of these evidence ids are not evidence of this organisation; remove them and send the rest again. Nothing was reviewed.', (r) => !r, () => 'No such evidence here. Check the id, and that you are in the right organisation.');
    refuse(
      'INVALID_STATE',
      'You added some of this evidence, so someone else must review it: leave those out (ask another owner or assessor) and send the rest again. Nothing was reviewed.',
      (r) => r?.uploaded_by === userId,
      () => 'You added this evidence; another owner or assessor must review it.',
    );
    const status: EvidenceStatus = input.decision === 'accept' ? 'accepted' : 'rejected';
    const changing = ids.map((id) => byId.get(id)!).filter((r) => r.status !== status);
    if (status === 'accepted') {
      refuse(
        'EVIDENCE_NOT_OPENED',
        'Open each evidence item before accepting it; the details list the ones you have not opened yet. Nothing was accepted.',
        (r) => r !== undefined && r.status !== status && r.opened_by_you_at === null,
        (id) => EvidenceService.notOpened(id),
      );
    }
    const reason = input.reason && input.reason.length > 0 ? input.reason : null;
    const now = this.clock.now();
    for (const before of changing) {
      // One statement and entry per item, so each evidence.reviewed entry chains its own row's state, as the single route's does.
      await this.evidence.review(before.id, { status, reason, reviewerId: userId, at: now });
      await this.audit.append({
        action: 'evidence.reviewed',
        entityType: 'evidence',
        entityId: before.id,
        data: { decision: input.decision, status: { from: before.status, to: status }, reason, sha256: before.sha256, batch: ids.length },
      });
    }
    const after = await this.evidence.findMany(ids);
    const afterById = new Map(after.map((r) => [r.id, r]));
    const at = now.getTime();
    return ids.map((id) => toResponse(afterById.get(id)!, at));
  }

  private async assessmentFor(assessmentId: string, questionId: string): Promise<{ status: string }> {
    if (!UUID.test(assessmentId)) throw notFound('assessment');
    // The assessments module's table, read here only to decide whether a link may change.
    const rows: { status: string; framework_id: string; framework_version: string }[] = await tenantManager().query(
      // FOR SHARE: a concurrent sign-off (which updates the row) waits for this link, or this link waits and then sees "signed".
      `SELECT status, framework_id, framework_version FROM assessments WHERE organisation_id = $1 AND id = $2 FOR SHARE`,
      [currentMember().organisationId, assessmentId],
    );
    const assessment = rows[0];
    if (!assessment) throw notFound('assessment');
    const framework = getFramework(assessment.framework_id, assessment.framework_version);
    if (!framework?.questions.some((q) => q.id === questionId)) {
      throw new AppError('NOT_FOUND', `Question ${questionId.slice(0, 50)} is not part of this assessment's question bank (${assessment.framework_id} ${assessment.framework_version}). Check the question id.`);
    }
    return assessment;
  }

  private static locked(): AppError {
    return new AppError('ASSESSMENT_LOCKED', 'This assessment is signed and locked; evidence links cannot change. Start next year\u2019s assessment to add evidence.');
  }

  async link(assessmentId: string, questionId: string, evidenceId: string): Promise<AnswerEvidenceLink> {
    const assessment = await this.assessmentFor(assessmentId, questionId);
    const evidence = await this.row(evidenceId);
    if (assessment.status === 'signed') throw EvidenceService.locked();
    let link = await this.evidence.link(assessmentId, questionId, evidenceId, currentMember().userId);
    if (link) {
      await this.audit.append({ action: 'evidence.linked', entityType: 'evidence', entityId: evidenceId, data: { assessmentId, questionId, sha256: evidence.sha256, externalRef: evidence.external_ref } });
    } else {
      // Already linked: PUT is idempotent and changes nothing.
      link = await this.evidence.findLink(assessmentId, questionId, evidenceId);
    }
    if (!link) throw notFound('evidence link');
    return { assessmentId, questionId, evidenceId, linkedBy: link.linked_by, linkedAt: link.linked_at.toISOString() };
  }

  async unlink(assessmentId: string, questionId: string, evidenceId: string): Promise<void> {
    const assessment = await this.assessmentFor(assessmentId, questionId);
    await this.row(evidenceId);
    if (assessment.status === 'signed') throw EvidenceService.locked();
    if (!(await this.evidence.unlink(assessmentId, questionId, evidenceId))) throw new AppError('NOT_FOUND', 'This evidence is not linked to that answer; nothing to remove.');
    await this.audit.append({ action: 'evidence.unlinked', entityType: 'evidence', entityId: evidenceId, data: { assessmentId, questionId } });
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KB`;
  return `${n} bytes`;
}
