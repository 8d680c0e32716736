import { createZodDto } from 'nestjs-zod';

import {
  AnswerEvidenceLinkSchema,
  EvidenceListQuerySchema,
  EvidencePageSchema,
  EvidenceResponseSchema,
  EvidenceReviewBatchResponseSchema,
  ReviewEvidenceBatchRequestSchema,
  ReviewEvidenceRequestSchema,
} from '@hoh/contracts';

export class EvidenceResponseDto extends createZodDto(EvidenceResponseSchema) {}
export class EvidencePageDto extends createZodDto(EvidencePageSchema) {}
export class EvidenceListQueryDto extends createZodDto(EvidenceListQuerySchema) {}
export class ReviewEvidenceDto extends createZodDto(ReviewEvidenceRequestSchema) {}
export class AnswerEvidenceLinkDto extends createZodDto(AnswerEvidenceLinkSchema) {}
export class ReviewEvidenceBatchDto extends createZodDto(ReviewEvidenceBatchRequestSchema) {}
export class EvidenceReviewBatchResponseDto extends createZodDto(EvidenceReviewBatchResponseSchema) {}
