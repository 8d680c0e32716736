import type { InputIssue } from './types.js';

/** Thrown when the input cannot be scored faithfully; `issues` name each offending field. */
export class ScoringInputError extends Error {
  readonly issues: InputIssue[];

  constructor(issues: InputIssue[]) {
    const first = issues[0];
    super(
      first
        ? `Invalid scoring input: ${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`
        : 'Invalid scoring input',
    );
    this.name = 'ScoringInputError';
    this.issues = issues;
  }
}
