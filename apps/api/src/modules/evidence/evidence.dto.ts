import { createZodDto } from 'nestjs-zod';

import { AnswerEvidenceLinkSchema, EvidenceListQuerySchema, EvidencePageSchema, EvidenceResponseSchema, ReviewEvidenceRequestSchema } from '@hoh/contracts';

export class EvidenceResponseDto extends createZodDto(EvidenceResponseSchema) {}
export class EvidencePageDto extends createZodDto(EvidencePageSchema) {}
export class EvidenceListQueryDto extends createZodDto(EvidenceListQuerySchema) {}
export class ReviewEvidenceDto extends createZodDto(ReviewEvidenceRequestSchema) {}
export class AnswerEvidenceLinkDto extends createZodDto(AnswerEvidenceLinkSchema) {}
