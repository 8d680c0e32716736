import { type Action, actionNumberLabel } from '@hoh/contracts';
import { CURRENT_FRAMEWORK, getFramework } from '@hoh/question-bank';
import {
  actionPriority,
  horizonOf,
  isOverdue,
  predictUplift,
  type QuestionLinks,
  questionLinksOn,
  type ScoringInput,
  type ScoringResult,
} from '@hoh/scoring-engine';

import type { ActionRow, ActionSummaryRow } from './actions.repository.js';

/**
 * An action as the API shows it, judged against an assessment (docs/PRODUCT.md §7): pure, from the
 * row and the scored assessment. The rules themselves are the engine's (priority, horizon, overdue,
 * uplift, links across bank versions); this file only applies them to a row.
 */

/** The assessment actions are judged against: the organisation's latest one. */
export interface ActionContext {
  input: ScoringInput;
  result: ScoringResult;
  /**
   * Question id → its assignee in that assessment, for members who may own an action (not auditors):
   * the owners an action's linked questions suggest. Absent when the caller did not read them.
   */
  assignees?: ReadonlyMap<string, string>;
}

/** What all() says of an action minus the what-if projection (see ActionsService.summaries()). */
export type ActionSummary = Pick<
  Action,
  'id' | 'number' | 'title' | 'status' | 'priority' | 'computedPriority' | 'overdue' | 'questionIds' | 'dueDate' | 'ownerId'
>;

type Links = Pick<ActionRow, 'question_ids' | 'bank_version' | 'earlier_question_links'>;

/** Every version's links of an action, oldest first, the current one last. */
export const linksOf = (row: Links): QuestionLinks[] => [
  ...row.earlier_question_links,
  { bankVersion: row.bank_version, questionIds: row.question_ids },
];

/** The questions an action names on the bank of the assessment it is judged against (§7.1); its own links without one. */
export function linkedOn(row: Links, ctx: ActionContext | null): string[] {
  if (!ctx) return row.question_ids;
  return questionLinksOn(linksOf(row), ctx.input.bank.version, new Set(ctx.input.bank.questions.map((q) => q.id)));
}

/** The bank version an action's links name: that of the assessment actions are judged against (§7.1). */
export const bankOf = (ctx: ActionContext | null): string => ctx?.input.bank.version ?? CURRENT_FRAMEWORK.version;

/** The fields the overview and the hand-on-heart check judge an action by: no what-if scoring. */
export function summaryOf(row: ActionSummaryRow, ctx: ActionContext | null, day: string): ActionSummary {
  const questionIds = linkedOn(row, ctx);
  const computed = ctx ? actionPriority(ctx.result.items, questionIds) : 'p4';
  return {
    id: row.id,
    number: actionNumberLabel(row.number),
    title: row.title,
    status: row.status,
    priority: row.priority_override ?? computed,
    computedPriority: computed,
    overdue: isOverdue(row.status, row.due_date, day),
    questionIds,
    dueDate: row.due_date,
    ownerId: row.owner_id,
  };
}

/** The whole action, with its predicted uplift on the assessment it is judged against. */
export function toAction(row: ActionRow, ctx: ActionContext | null, day: string): Action {
  const { computedPriority: computed, questionIds } = summaryOf(row, ctx, day);
  const linked = ctx ? ctx.result.items.filter((i) => questionIds.includes(i.questionId)) : [];
  // ctx.result is score(ctx.input): passing it spares the engine re-scoring today's input per action.
  const uplift =
    ctx && linked.length > 0
      ? predictUplift(
          ctx.input,
          linked.map((i) => i.questionId),
          ctx.result,
        )
      : null;
  const bank = getFramework(ctx?.input.bank.frameworkId ?? CURRENT_FRAMEWORK.id, ctx?.input.bank.version ?? row.bank_version);
  const domainIds = (bank?.questions ?? []).filter((q) => questionIds.includes(q.id)).map((q) => q.domainId);
  return {
    id: row.id,
    number: actionNumberLabel(row.number),
    title: row.title,
    description: row.description,
    ownerId: row.owner_id,
    dueDate: row.due_date,
    status: row.status,
    priority: row.priority_override ?? computed,
    computedPriority: computed,
    priorityOverride: row.priority_override ? { priority: row.priority_override, reason: row.priority_override_reason ?? '' } : null,
    horizon: row.due_date ? horizonOf(row.due_date, day) : null,
    overdue: isOverdue(row.status, row.due_date, day),
    questionIds,
    bankVersion: row.bank_version,
    questionLinks: linksOf(row).map((l) => ({ bankVersion: l.bankVersion, questionIds: [...l.questionIds] })),
    domains: [...new Set(domainIds)],
    predictedUplift: {
      overall: uplift?.overall.delta ?? 0,
      domains: Object.fromEntries(
        Object.entries(uplift?.domains ?? {})
          .filter(([, d]) => d.delta !== 0)
          .map(([id, d]) => [id, d.delta]),
      ),
    },
    readyToClose:
      ['open', 'in_progress', 'blocked'].includes(row.status) && linked.length > 0 && linked.every((i) => i.included && i.gap === 0),
    statusReason: row.status_reason,
    closingNote: row.closing_note,
    closingEvidenceId: row.closing_evidence_id,
    suggested: row.suggestion_key !== null,
    suggestedOwnerIds: [...new Set(questionIds.flatMap((q) => ctx?.assignees?.get(q) ?? []))],
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
