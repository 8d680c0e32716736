import { createZodDto } from 'nestjs-zod';

import {
  AnswerResponseSchema,
  AssessmentListResponseSchema,
  AssessmentResponseSchema,
  AssignmentsRequestSchema,
  CreateAssessmentRequestSchema,
  PageQuerySchema,
  PutAnswerRequestSchema,
  PutTargetRequestSchema,
  ReviewRequestSchema,
  ScoringResultSchema,
  SignOffRequestSchema,
  UpgradeAssessmentRequestSchema,
  VerificationRequestSchema,
} from '@hoh/contracts';

export class CreateAssessmentDto extends createZodDto(CreateAssessmentRequestSchema) {}
export class AssessmentResponseDto extends createZodDto(AssessmentResponseSchema) {}
export class AssessmentListResponseDto extends createZodDto(AssessmentListResponseSchema) {}
export class PutAnswerDto extends createZodDto(PutAnswerRequestSchema) {}
export class AnswerResponseDto extends createZodDto(AnswerResponseSchema) {}
export class PutTargetDto extends createZodDto(PutTargetRequestSchema) {}
export class AssignmentsDto extends createZodDto(AssignmentsRequestSchema) {}
export class ReviewDto extends createZodDto(ReviewRequestSchema) {}
export class SignOffDto extends createZodDto(SignOffRequestSchema) {}
export class VerificationDto extends createZodDto(VerificationRequestSchema) {}
export class ScoreResponseDto extends createZodDto(ScoringResultSchema) {}
export class AssessmentPageQueryDto extends createZodDto(PageQuerySchema) {}
export class UpgradeAssessmentDto extends createZodDto(UpgradeAssessmentRequestSchema) {}
