import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import {
  type Action,
  actionNumberLabel,
  type ActionListQuery,
  type ActionListResponse,
  type BulkUpdateActionsRequest,
  type BulkUpdateActionsResponse,
  type CreateActionRequest,
  type SuggestActionsResponse,
  type UpdateActionRequest,
  type WhatIfRequest,
  type WhatIfResponse,
} from '@hoh/contracts';
import { CURRENT_FRAMEWORK, getFramework } from '@hoh/question-bank';
import { canMove, isReopen, moveNeeds, predictUplift, priorityRank, score, suggestActions } from '@hoh/scoring-engine';

import { AppError, notFound } from '../../common/app-error.js';
import { checkOptionalIfMatch } from '../../common/concurrency.js';
import { Clock } from '../../config/clock.js';
import { currentMember } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { EvidenceRepository } from '../evidence/evidence.repository.js';
import { ScoringService } from '../scoring/scoring.service.js';
import { type ActionContext, type ActionSummary, bankOf, linkedOn, summaryOf, toAction } from './action-view.js';
import { type ActionRow, ActionsRepository, type ActionSummaryRow } from './actions.repository.js';
import { type CsvCell, toCsv } from './csv.js';

export type { ActionContext, ActionSummary } from './action-view.js';

/**
 * Remediation actions (docs/PRODUCT.md §7): what may be done to an action, by whom, in which order of
 * checks. The SQL is in actions.repository.ts, the view of an action (priority, uplift, links on a
 * bank version) in action-view.ts.
 */
@Injectable()
export class ActionsService {
  constructor(
    private readonly audit: AuditService,
    private readonly scoring: ScoringService,
    private readonly clock: Clock,
    private readonly repo: ActionsRepository,
    private readonly evidence: EvidenceRepository,
  ) {}

  /** Today's date (UTC), by the injected clock: due dates and overdue flags are decided on it. */
  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  private async latestContext(): Promise<ActionContext | null> {
    const latest = await this.repo.latestAssessment();
    if (!latest) return null;
    return { ...(await this.context(latest.id)), assignees: new Map(Object.entries(latest.assignees)) };
  }

  private async context(assessmentId: string): Promise<ActionContext> {
    const { organisationId } = currentMember();
    const { input } = await this.scoring.loadInput(organisationId, assessmentId, this.clock.now());
    return { input, result: score(input) };
  }

  private async row(id: string): Promise<ActionRow> {
    const row = await this.repo.find(id);
    if (!row) throw notFound('action');
    return row;
  }

  /** Pass the latest assessment's context when the caller already has it, to avoid scoring twice. */
  async all(known?: ActionContext | null): Promise<Action[]> {
    const ctx = known === undefined ? await this.latestContext() : known;
    const day = this.today();
    return (await this.repo.all()).map((r) => toAction(r, ctx, day));
  }

  /**
   * Every action as the overview and the hand-on-heart check need it: status, priority, overdue.
   * Same rules as all(), without each action's predicted uplift (two engine runs per action).
   */
  async summaries(known?: ActionContext | null): Promise<ActionSummary[]> {
    const ctx = known === undefined ? await this.latestContext() : known;
    return this.summariesOf(await this.repo.all(), ctx);
  }

  /** Summaries of rows another statement read with ACTION_SUMMARY_COLUMNS, judged against `ctx`. */
  summariesOf(rows: ActionSummaryRow[], ctx: ActionContext | null): ActionSummary[] {
    const day = this.today();
    return rows.map((r) => summaryOf(r, ctx, day));
  }

  async list(q: ActionListQuery): Promise<ActionListResponse> {
    const all = await this.all();
    const counts = { open: 0, in_progress: 0, blocked: 0, done: 0, risk_accepted: 0, overdue: 0 };
    for (const a of all) {
      counts[a.status] += 1;
      if (a.overdue) counts.overdue += 1;
    }
    const filtered = all.filter(
      (a) =>
        (!q.status || a.status === q.status) &&
        (!q.ownerId || a.ownerId === q.ownerId) &&
        (!q.horizon || a.horizon === q.horizon) &&
        (!q.priority || a.priority === q.priority) &&
        (!q.domain || a.domains.includes(q.domain)) &&
        (q.overdue === undefined || a.overdue === q.overdue),
    );
    const byDue = (a: Action, b: Action) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999');
    const sorters: Record<ActionListQuery['sort'], (a: Action, b: Action) => number> = {
      due: byDue,
      priority: (a, b) => priorityRank(a.priority) - priorityRank(b.priority) || byDue(a, b),
      // Numbers follow creation order exactly (created_at is one instant for a batch of suggestions).
      created: (a, b) => a.number.localeCompare(b.number, 'en', { numeric: true }),
      title: (a, b) => a.title.localeCompare(b.title),
      uplift: (a, b) => b.predictedUplift.overall - a.predictedUplift.overall || byDue(a, b),
    };
    filtered.sort((a, b) => sorters[q.sort](a, b) || a.id.localeCompare(b.id));
    const start = q.cursor ? Number(q.cursor) : 0;
    const items = filtered.slice(start, start + q.limit);
    return { items, nextCursor: start + q.limit < filtered.length ? String(start + q.limit) : null, counts };
  }

  async get(id: string): Promise<Action> {
    return toAction(await this.row(id), await this.latestContext(), this.today());
  }

  private async assertMember(userId: string | null | undefined): Promise<void> {
    if (!userId) return;
    if (!(await this.repo.isMember(userId))) {
      throw new AppError('VALIDATION_FAILED', 'The owner must be a member of this organisation.', { details: [{ path: 'ownerId', message: 'Not a member of this organisation' }] });
    }
  }

  private assertQuestions(ids: readonly string[] | undefined, version: string): void {
    if (!ids) return;
    const known = new Set(getFramework(CURRENT_FRAMEWORK.id, version)!.questions.map((q) => q.id));
    const details = ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `questionIds.${i}`, message: `No question ${id} in question bank ${version}` }]));
    if (details.length > 0) {
      throw new AppError('VALIDATION_FAILED', `Link actions to questions of question bank ${version}, the one your latest assessment is on (e.g. HASH-01).`, { details });
    }
  }

  async create(body: CreateActionRequest): Promise<Action> {
    const { userId } = currentMember();
    await this.assertMember(body.ownerId);
    const ctx = await this.latestContext();
    const bankVersion = bankOf(ctx);
    this.assertQuestions(body.questionIds, bankVersion);
    const id = randomUUID();
    const questionIds = body.questionIds ?? [];
    // The database assigns the number (migration 1764347200000); the audit entry names it, as people will.
    const number = await this.repo.insert({ id, title: body.title, description: body.description ?? '', ownerId: body.ownerId ?? null, dueDate: body.dueDate ?? null, questionIds, bankVersion, createdBy: userId });
    await this.audit.append({
      action: 'action.created',
      entityType: 'action',
      entityId: id,
      data: { after: { number: actionNumberLabel(number!), title: body.title, ownerId: body.ownerId ?? null, dueDate: body.dueDate ?? null, questionIds, bankVersion } },
    });
    return toAction(await this.row(id), ctx, this.today());
  }

  async update(id: string, body: UpdateActionRequest, ifMatch: number | undefined): Promise<Action> {
    const member = currentMember();
    // The chain before the action's row, in the order a bank upgrade takes them (it moves actions'
    // links while it holds the chain): the other way round the two would deadlock.
    await this.audit.lockChain();
    const before = await this.row(id);
    const ctx = await this.latestContext();
    checkOptionalIfMatch(ifMatch, before.version, toAction(before, ctx, this.today()));
    if (member.role === 'contributor') {
      if (before.owner_id !== member.userId) throw new AppError('FORBIDDEN', 'Contributors can update only the actions they own. Ask an assessor to reassign it.');
      if (body.ownerId !== undefined || body.priorityOverride !== undefined) {
        throw new AppError('FORBIDDEN', 'Only owners and assessors can reassign an action or override its priority.');
      }
    }
    await this.assertMember(body.ownerId);
    this.assertQuestions(body.questionIds, before.bank_version);

    let statusReason = before.status_reason;
    let closingNote = body.closingNote ?? before.closing_note;
    if (body.status && body.status !== before.status) {
      const from = before.status;
      const to = body.status;
      if (!canMove(from, to)) throw new AppError('INVALID_STATE', `An action cannot move from ${from} to ${to}.`);
      const needs = moveNeeds(from, to);
      if (needs === 'reason' && !body.reason) {
        throw new AppError('VALIDATION_FAILED', to === 'risk_accepted' ? 'Record why the risk is accepted.' : 'Record why the action is reopened.', {
          details: [{ path: 'reason', message: 'Required for this status change' }],
        });
      }
      if (to === 'risk_accepted') {
        const critical = (ctx?.result.items ?? []).filter((i) => (body.questionIds ?? linkedOn(before, ctx)).includes(i.questionId) && i.critical && i.included);
        if (critical.length > 0) {
          throw new AppError(
            'CRITICAL_NOT_ACCEPTABLE',
            `A critical control gap can never be risk-accepted (${critical.map((i) => i.questionId).join(', ')}). Plan the fix, or record an alternative measure in the answer.`,
          );
        }
      }
      if (needs === 'closingNote' && !closingNote) {
        throw new AppError('VALIDATION_FAILED', 'Say what was done before closing the action.', { details: [{ path: 'closingNote', message: 'Required to mark the action done' }] });
      }
      if (isReopen(from, to)) closingNote = null;
      statusReason = body.reason ?? null;
    }
    const next = {
      title: body.title ?? before.title,
      description: body.description ?? before.description,
      ownerId: body.ownerId !== undefined ? body.ownerId : before.owner_id,
      dueDate: body.dueDate !== undefined ? body.dueDate : before.due_date,
      status: body.status ?? before.status,
      questionIds: body.questionIds ? [...new Set(body.questionIds)] : before.question_ids,
      closingEvidenceId: body.closingEvidenceId !== undefined ? body.closingEvidenceId : before.closing_evidence_id,
      override: body.priorityOverride !== undefined ? body.priorityOverride : before.priority_override ? { priority: before.priority_override, reason: before.priority_override_reason ?? '' } : null,
    };
    if (next.closingEvidenceId && !(await this.evidence.find(next.closingEvidenceId))) throw notFound('evidence');
    const written = await this.repo.update(id, before.version, { ...next, statusReason, closingNote });
    if (!written) {
      throw new AppError('PRECONDITION_FAILED', 'Someone else changed this action at the same moment. Review it (in `current`) and try again.', { current: toAction(await this.row(id), ctx, this.today()) });
    }
    await this.audit.append({
      action: body.status && body.status !== before.status ? `action.${body.status}` : 'action.updated',
      entityType: 'action',
      entityId: id,
      data: { changed: Object.keys(body), before: { status: before.status, ownerId: before.owner_id, dueDate: before.due_date }, after: { status: next.status, ownerId: next.ownerId, dueDate: next.dueDate }, reason: body.reason ?? null },
    });
    // Editing an action never changes the score it is judged against, so the context read above still holds.
    return toAction(await this.row(id), ctx, this.today());
  }

  /**
   * One suggested action per included item below target that is not N/A (suggestActions, docs/PRODUCT.md
   * §7.5), titled with what to do and owned by the question's assignee. Idempotent: a question that
   * already has a suggestion, or an open action linked to it, gets nothing new, and edited actions
   * are never touched.
   */
  async suggest(assessmentId: string): Promise<SuggestActionsResponse> {
    const { userId } = currentMember();
    const ctx = await this.context(assessmentId);
    const framework = getFramework(ctx.input.bank.frameworkId, ctx.input.bank.version)!;
    const assigned = await this.repo.assignees(assessmentId);
    const suggestions = suggestActions(ctx.result, framework.questions, assigned);
    const existing = await this.repo.all();
    const covered = new Set(existing.flatMap((a) => [...(a.suggestion_key ? [a.suggestion_key] : []), ...(['open', 'in_progress', 'blocked'].includes(a.status) ? linkedOn(a, ctx) : [])]));
    const created: string[] = [];
    let unchanged = 0;
    const now = this.clock.now();
    for (const suggestion of suggestions) {
      if (covered.has(suggestion.questionId)) {
        unchanged += 1;
        continue;
      }
      const due = new Date(now.getTime() + suggestion.dueInDays * 86_400_000).toISOString().slice(0, 10);
      const id = randomUUID();
      const number = await this.repo.insert({
        id,
        title: suggestion.title,
        description: suggestion.description,
        ownerId: suggestion.ownerId,
        dueDate: due,
        questionIds: [suggestion.questionId],
        bankVersion: ctx.input.bank.version,
        suggestionKey: suggestion.questionId,
        createdBy: userId,
      });
      if (number === undefined) {
        unchanged += 1;
        continue;
      }
      created.push(id);
    }
    if (created.length > 0) await this.audit.append({ action: 'action.suggested', entityType: 'assessment', entityId: assessmentId, data: { created } });
    const rows = new Map((await this.repo.all()).map((r) => [r.id, r]));
    const withAssignees: ActionContext = { ...ctx, assignees: assigned };
    // In questionnaire order (the order suggestions were made), not by their random ids.
    return { created: created.map((id) => toAction(rows.get(id)!, withAssignees, this.today())), unchanged };
  }

  /**
   * Assigns and/or dates many actions in one transaction, all or nothing, with the checks of a single
   * update in the same order (docs/API.md §3.5): 404 any action not in this organisation → 412 any
   * version stale (with every stale action as it is now in `current`) → 403 contributor reassigning
   * or naming an action they do not own → 400 owner not a member. Each action is then written and
   * audited as a single update is, so the audit log reads the same either way.
   */
  async bulkUpdate(body: BulkUpdateActionsRequest): Promise<BulkUpdateActionsResponse> {
    const member = currentMember();
    const ids = body.items.map((i) => i.id);
    // The chain first, then the rows, as a bank upgrade takes them (see update()).
    await this.audit.lockChain();
    // Locked: the versions checked below cannot change before this transaction writes.
    const found = await this.repo.findMany(ids, true);
    const byId = new Map(found.map((r) => [r.id, r]));
    const missing = body.items.flatMap((item, i) => (byId.has(item.id) ? [] : [{ path: `items.${String(i)}.id`, message: 'No such action in this organisation' }]));
    if (missing.length > 0) {
      throw new AppError('NOT_FOUND', 'Some of these actions are not in this organisation (see details). Reload the list and choose again; nothing was changed.', { details: missing });
    }
    const ctx = await this.latestContext();
    const day = this.today();
    const stale = body.items.flatMap((item, i) => {
      const row = byId.get(item.id)!;
      return row.version === item.version ? [] : [{ i, row }];
    });
    if (stale.length > 0) {
      throw new AppError('PRECONDITION_FAILED', `Someone else changed ${String(stale.length)} of these actions since you read them. Review them (in \`current\`) and try again; nothing was changed.`, {
        details: stale.map(({ i, row }) => ({ path: `items.${String(i)}.version`, message: `Changed since you read it (now version ${String(row.version)})` })),
        current: stale.map(({ row }) => toAction(row, ctx, day)),
      });
    }
    if (member.role === 'contributor') {
      if (body.ownerId !== undefined) throw new AppError('FORBIDDEN', 'Only owners and assessors can reassign actions. Ask an assessor to reassign them.');
      const notOwn = body.items.flatMap((item, i) => (byId.get(item.id)!.owner_id === member.userId ? [] : [{ path: `items.${String(i)}.id`, message: 'Not an action you own' }]));
      if (notOwn.length > 0) {
        throw new AppError('FORBIDDEN', 'Contributors can update only the actions they own. Choose only your own actions, or ask an assessor; nothing was changed.', { details: notOwn });
      }
    }
    await this.assertMember(body.ownerId);

    const changed = [...(body.ownerId !== undefined ? ['ownerId'] : []), ...(body.dueDate !== undefined ? ['dueDate'] : [])];
    for (const item of body.items) {
      const before = byId.get(item.id)!;
      const ownerId = body.ownerId !== undefined ? body.ownerId : before.owner_id;
      const dueDate = body.dueDate !== undefined ? body.dueDate : before.due_date;
      // The rows are locked and their versions checked above; this only guards that reasoning.
      if (!(await this.repo.setOwnerAndDue(item.id, item.version, ownerId, dueDate))) {
        throw new AppError('PRECONDITION_FAILED', 'Someone else changed these actions at the same moment. Reload them and try again; nothing was changed.');
      }
      await this.audit.append({
        action: 'action.updated',
        entityType: 'action',
        entityId: item.id,
        data: { changed, before: { status: before.status, ownerId: before.owner_id, dueDate: before.due_date }, after: { status: before.status, ownerId, dueDate }, reason: null, bulk: true },
      });
    }
    const rows = new Map((await this.repo.findMany(ids)).map((r) => [r.id, r]));
    // Editing actions never changes the score they are judged against, so the context read above still holds.
    return { updated: ids.map((id) => toAction(rows.get(id)!, ctx, day)) };
  }

  async whatIf(assessmentId: string, body: WhatIfRequest): Promise<WhatIfResponse> {
    const rows = await this.repo.findMany(body.actionIds);
    if (rows.length !== new Set(body.actionIds).size) throw notFound('action');
    const ctx = await this.context(assessmentId);
    const included = new Set(ctx.result.items.map((i) => i.questionId));
    const questionIds = [...new Set(rows.flatMap((r) => linkedOn(r, ctx)))].filter((q) => included.has(q)).sort();
    const uplift = predictUplift(ctx.input, questionIds, ctx.result);
    return { questionIds, overall: uplift.overall, band: uplift.band, domains: uplift.domains, explanation: uplift.projected.explanation };
  }

  async exportCsv(): Promise<string> {
    const actions = await this.all();
    const who = await this.repo.memberNames();
    // The number first: it is how people, the board pack and the registers name an action.
    const header = ['number', 'id', 'title', 'status', 'priority', 'horizon', 'overdue', 'owner', 'due_date', 'questions', 'predicted_uplift', 'description', 'closing_note', 'updated_at'];
    const rows: CsvCell[][] = actions.map((a) => [
      a.number,
      a.id,
      a.title,
      a.status,
      a.priority,
      a.horizon,
      a.overdue,
      a.ownerId ? (who.get(a.ownerId) ?? a.ownerId) : null,
      a.dueDate ? { date: a.dueDate } : null,
      a.questionIds.join(' '),
      Math.round(a.predictedUplift.overall * 10) / 10,
      a.description,
      a.closingNote,
      { date: a.updatedAt },
    ]);
    return toCsv(header, rows);
  }
}
