import { AnswerEvidenceLinkSchema, EvidenceResponseSchema, UploadEvidenceFieldsSchema } from '@hoh/contracts';
import type { EvidenceKind, EvidenceResponse } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

import { assessmentKeys, assessmentPath } from './keys';

/** Uploads a document (multipart field `file`) and links it to one answer. */
export async function uploadAndLinkEvidence(
  orgId: string,
  assessmentId: string,
  questionId: string,
  file: File,
  kind: EvidenceKind,
): Promise<EvidenceResponse> {
  const fields = UploadEvidenceFieldsSchema.parse({
    title: file.name.slice(0, 200) || 'Evidence',
    kind,
    // The file's own date is the best guess at its issue date; it expires 12 months later by default.
    issuedAt: new Date(file.lastModified || Date.now()).toISOString(),
  });
  const form = new FormData();
  form.set('title', fields.title);
  form.set('kind', fields.kind);
  form.set('issuedAt', fields.issuedAt);
  form.set('file', file);
  const evidence = await apiClient.post(`/api/v1/orgs/${encodeURIComponent(orgId)}/evidence`, form, EvidenceResponseSchema);
  await apiClient.put(
    assessmentPath(orgId, assessmentId, `/answers/${encodeURIComponent(questionId)}/evidence/${evidence.id}`),
    undefined,
    AnswerEvidenceLinkSchema,
  );
  return evidence;
}

export function useUploadEvidence(orgId: string, assessmentId: string, questionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, kind }: { file: File; kind: EvidenceKind }) => uploadAndLinkEvidence(orgId, assessmentId, questionId, file, kind),
    // The answer's evidenceIds live in the assessment; new evidence is pending, so the score stays.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: assessmentKeys.detail(orgId, assessmentId), exact: true }),
  });
}
