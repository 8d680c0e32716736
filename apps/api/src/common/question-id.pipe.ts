import type { PipeTransform } from '@nestjs/common';

import { QUESTION_ID } from '@hoh/question-bank';

import { notFound } from './app-error.js';

/**
 * A `:questionId` path segment that cannot name a question in any bank is "no such question" (404),
 * like an unknown one, before it reaches SQL: PostgreSQL refuses a NUL byte in a parameter with an
 * error of its own, which would otherwise be a 500.
 */
export const QuestionId: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!QUESTION_ID.test(value)) throw notFound('question');
    return value;
  },
};
