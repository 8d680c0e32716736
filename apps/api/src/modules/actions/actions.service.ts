import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type {
  Action,
  ActionListQuery,
  ActionListResponse,
  CreateActionRequest,
  SuggestActionsResponse,
  UpdateActionRequest,
  WhatIfRequest,
  WhatIfResponse,
} from '@hoh/contracts';
import { CURRENT_FRAMEWORK, getFramework } from '@hoh/question-bank';
import {
  actionPriority,
  type ActionStatus,
  canMove,
  moveNeeds,
  horizonOf,
  isOverdue,
  isReopen,
  predictUplift,
  type Priority,
  priorityRank,
  score,
  type ScoringInput,
  type ScoringResult,
} from '@hoh/scoring-engine';

import { AppError, notFound } from '../../common/app-error.js';
import { checkOptionalIfMatch } from '../../common/concurrency.js';
import { prepared } from '../../database/prepared-statements.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { Clock } from '../../config/clock.js';
import { AuditService } from '../audit/audit.service.js';
import { ScoringService } from '../scoring/scoring.service.js';
import { type CsvCell, toCsv } from './csv.js';

interface ActionRow {
  id: string;
  title: string;
  description: string;
  owner_id: string | null;
  due_date: string | null;
  status: ActionStatus;
  status_reason: string | null;
  closing_note: string | null;
  closing_evidence_id: string | null;
  priority_override: Priority | null;
  priority_override_reason: string | null;
  question_ids: string[];
  suggestion_key: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** What a summary reads of an action: the dashboard aggregates these columns inside its one statement. */
export const ACTION_SUMMARY_COLUMNS = `id, title, status, priority_override, question_ids, to_char(due_date, 'YYYY-MM-DD') AS due_date, owner_id`;
export type ActionSummaryRow = Pick<ActionRow, 'id' | 'title' | 'status' | 'priority_override' | 'question_ids' | 'due_date' | 'owner_id'>;

/** What all() says of an action minus the what-if projection (see summaries()). */
export type ActionSummary = Pick<Action, 'id' | 'title' | 'status' | 'priority' | 'computedPriority' | 'overdue' | 'questionIds' | 'dueDate' | 'ownerId'>;

/** The assessment actions are judged against: the organisation's latest one. */
export interface ActionContext {
  input: ScoringInput;
  result: ScoringResult;
}

const SELECT = `SELECT id, title, description, owner_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, status_reason, closing_note, closing_evidence_id,
  priority_override, priority_override_reason, question_ids, suggestion_key, version, created_at, updated_at FROM actions`;

const ROWS_SQL = prepared(`${SELECT} WHERE organisation_id = $1 ORDER BY created_at, id`);
const ROW_SQL = prepared(`${SELECT} WHERE organisation_id = $1 AND id = $2`);

const DUE_DAYS: Record<Priority, number> = { p1: 30, p2: 90, p3: 180, p4: 365 };

@Injectable()
export class ActionsService {
  constructor(
    private readonly audit: AuditService,
    private readonly scoring: ScoringService,
    private readonly clock: Clock,
  ) {}

  /** Today's date (UTC), by the injected clock: due dates and overdue flags are decided on it. */
  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }

  private async latestContext(): Promise<ActionContext | null> {
    const { organisationId } = currentMember();
    const [latest] = await tenantManager().query<{
      id: string;
    }[]>('SELECT id FROM assessments WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1', [organisationId]);
    return latest ? this.context(latest.id) : null;
  }

  private async context(assessmentId: string): Promise<ActionContext> {
    const { organisationId } = currentMember();
    const { input } = await this.scoring.loadInput(organisationId, assessmentId, this.clock.now());
    return { input, result: score(input) };
  }

  /** The fields the overview and the hand-on-heart check judge an action by: no what-if scoring. */
  private summaryOf(row: ActionSummaryRow, ctx: ActionContext | null, day: string): ActionSummary {
    const computed = ctx ? actionPriority(ctx.result.items, row.question_ids) : 'p4';
    return {
      id: row.id,
      title: row.title,
      status: row.status,
      priority: row.priority_override ?? computed,
      computedPriority: computed,
      overdue: isOverdue(row.status, row.due_date, day),
      questionIds: row.question_ids,
      dueDate: row.due_date,
      ownerId: row.owner_id,
    };
  }

  private toAction(row: ActionRow, ctx: ActionContext | null, day: string): Action {
    const { computedPriority: computed } = this.summaryOf(row, ctx, day);
    const linked = ctx ? ctx.result.items.filter((i) => row.question_ids.includes(i.questionId)) : [];
    // ctx.result is score(ctx.input): passing it spares the engine re-scoring today's input per action.
    const uplift = ctx && linked.length > 0 ? predictUplift(ctx.input, linked.map((i) => i.questionId), ctx.result) : null;
    const domainIds = getFramework(CURRENT_FRAMEWORK.id, CURRENT_FRAMEWORK.version)!.questions.filter((q) => row.question_ids.includes(q.id)).map((q) => q.domainId);
    return {
      id: row.id,
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
      questionIds: row.question_ids,
      domains: [...new Set(domainIds)],
      predictedUplift: {
        overall: uplift?.overall.delta ?? 0,
        domains: Object.fromEntries(Object.entries(uplift?.domains ?? {}).filter(([, d]) => d.delta !== 0).map(([id, d]) => [id, d.delta])),
      },
      readyToClose: ['open', 'in_progress', 'blocked'].includes(row.status) && linked.length > 0 && linked.every((i) => i.included && i.gap === 0),
      statusReason: row.status_reason,
      closingNote: row.closing_note,
      closingEvidenceId: row.closing_evidence_id,
      suggested: row.suggestion_key !== null,
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  private async rows(): Promise<ActionRow[]> {
    return await tenantManager().query<ActionRow[]>(ROWS_SQL, [currentMember().organisationId]);
  }

  private async row(id: string): Promise<ActionRow> {
    const [row] = await tenantManager().query<ActionRow[]>(ROW_SQL, [currentMember().organisationId, id]);
    if (!row) throw notFound('action');
    return row;
  }

  /** Pass the latest assessment's context when the caller already has it, to avoid scoring twice. */
  async all(known?: ActionContext | null): Promise<Action[]> {
    const ctx = known === undefined ? await this.latestContext() : known;
    const day = this.today();
    return (await this.rows()).map((r) => this.toAction(r, ctx, day));
  }

  /**
   * Every action as the overview and the hand-on-heart check need it: status, priority, overdue.
   * Same rules as all(), without each action's predicted uplift (two engine runs per action).
   */
  async summaries(known?: ActionContext | null): Promise<ActionSummary[]> {
    const ctx = known === undefined ? await this.latestContext() : known;
    return this.summariesOf(await this.rows(), ctx);
  }

  /** Summaries of rows another statement read with ACTION_SUMMARY_COLUMNS, judged against `ctx`. */
  summariesOf(rows: ActionSummaryRow[], ctx: ActionContext | null): ActionSummary[] {
    const day = this.today();
    return rows.map((r) => this.summaryOf(r, ctx, day));
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
      created: (a, b) => a.createdAt.localeCompare(b.createdAt),
      title: (a, b) => a.title.localeCompare(b.title),
      uplift: (a, b) => b.predictedUplift.overall - a.predictedUplift.overall || byDue(a, b),
    };
    filtered.sort((a, b) => sorters[q.sort](a, b) || a.id.localeCompare(b.id));
    const start = q.cursor ? Number(q.cursor) : 0;
    const items = filtered.slice(start, start + q.limit);
    return { items, nextCursor: start + q.limit < filtered.length ? String(start + q.limit) : null, counts };
  }

  async get(id: string): Promise<Action> {
    return this.toAction(await this.row(id), await this.latestContext(), this.today());
  }

  private async assertMember(userId: string | null | undefined): Promise<void> {
    if (!userId) return;
    const found = await tenantManager().query<unknown[]>('SELECT 1 FROM memberships WHERE organisation_id = $1 AND user_id = $2', [currentMember().organisationId, userId]);
    if (found.length === 0) {
      throw new AppError('VALIDATION_FAILED', 'The owner must be a member of this organisation.', { details: [{ path: 'ownerId', message: 'Not a member of this organisation' }] });
    }
  }

  private assertQuestions(ids: readonly string[] | undefined): void {
    if (!ids) return;
    const known = new Set(getFramework(CURRENT_FRAMEWORK.id, CURRENT_FRAMEWORK.version)!.questions.map((q) => q.id));
    const details = ids.flatMap((id, i) => (known.has(id) ? [] : [{ path: `questionIds.${i}`, message: `No question ${id} in the current bank` }]));
    if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'Link actions to questions of the current bank (e.g. HASH-01).', { details });
  }

  async create(body: CreateActionRequest): Promise<Action> {
    const { organisationId, userId } = currentMember();
    await this.assertMember(body.ownerId);
    this.assertQuestions(body.questionIds);
    const id = randomUUID();
    await tenantManager().query(
      `INSERT INTO actions (organisation_id, id, title, description, owner_id, due_date, question_ids, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [organisationId, id, body.title, body.description ?? '', body.ownerId ?? null, body.dueDate ?? null, [...new Set(body.questionIds ?? [])], userId],
    );
    await this.audit.append({ action: 'action.created', entityType: 'action', entityId: id, data: { after: { title: body.title, ownerId: body.ownerId ?? null, dueDate: body.dueDate ?? null, questionIds: body.questionIds ?? [] } } });
    return this.get(id);
  }

  async update(id: string, body: UpdateActionRequest, ifMatch: number | undefined): Promise<Action> {
    const member = currentMember();
    const before = await this.row(id);
    const ctx = await this.latestContext();
    checkOptionalIfMatch(ifMatch, before.version, this.toAction(before, ctx, this.today()));
    if (member.role === 'contributor') {
      if (before.owner_id !== member.userId) throw new AppError('FORBIDDEN', 'Contributors can update only the actions they own. Ask an assessor to reassign it.');
      if (body.ownerId !== undefined || body.priorityOverride !== undefined) {
        throw new AppError('FORBIDDEN', 'Only owners and assessors can reassign an action or override its priority.');
      }
    }
    await this.assertMember(body.ownerId);
    this.assertQuestions(body.questionIds);

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
        const critical = (ctx?.result.items ?? []).filter((i) => (body.questionIds ?? before.question_ids).includes(i.questionId) && i.critical && i.included);
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
    if (next.closingEvidenceId) {
      const found = await tenantManager().query<unknown[]>('SELECT 1 FROM evidence WHERE organisation_id = $1 AND id = $2', [member.organisationId, next.closingEvidenceId]);
      if (found.length === 0) throw notFound('evidence');
    }
    const updated = await tenantManager().query<unknown[]>(
      `WITH u AS (
         UPDATE actions SET title = $3, description = $4, owner_id = $5, due_date = $6, status = $7, status_reason = $8, closing_note = $9,
                closing_evidence_id = $10, priority_override = $11, priority_override_reason = $12, question_ids = $13, version = version + 1, updated_at = now()
         WHERE organisation_id = $1 AND id = $2 AND version = $14 RETURNING id)
       SELECT id FROM u`,
      [
        member.organisationId,
        id,
        next.title,
        next.description,
        next.ownerId,
        next.dueDate,
        next.status,
        statusReason,
        closingNote,
        next.closingEvidenceId,
        next.override?.priority ?? null,
        next.override?.reason ?? null,
        next.questionIds,
        before.version,
      ],
    );
    if (updated.length === 0) {
      throw new AppError('PRECONDITION_FAILED', 'Someone else changed this action at the same moment. Review it (in `current`) and try again.', { current: this.toAction(await this.row(id), ctx, this.today()) });
    }
    await this.audit.append({
      action: body.status && body.status !== before.status ? `action.${body.status}` : 'action.updated',
      entityType: 'action',
      entityId: id,
      data: { changed: Object.keys(body), before: { status: before.status, ownerId: before.owner_id, dueDate: before.due_date }, after: { status: next.status, ownerId: next.ownerId, dueDate: next.dueDate }, reason: body.reason ?? null },
    });
    // Editing an action never changes the score it is judged against, so the context read above still holds.
    return this.toAction(await this.row(id), ctx, this.today());
  }

  /**
   * One suggested action per applicable item below target, built from the question's remediation
   * guidance. Idempotent: a question that already has a suggestion, or an open action linked to it,
   * gets nothing new, and edited actions are never touched.
   */
  async suggest(assessmentId: string): Promise<SuggestActionsResponse> {
    const { organisationId, userId } = currentMember();
    const ctx = await this.context(assessmentId);
    const framework = getFramework(ctx.input.bank.frameworkId, ctx.input.bank.version)!;
    const existing = await this.rows();
    const covered = new Set(existing.flatMap((a) => [...(a.suggestion_key ? [a.suggestion_key] : []), ...(['open', 'in_progress', 'blocked'].includes(a.status) ? a.question_ids : [])]));
    const created: string[] = [];
    let unchanged = 0;
    const day = this.clock.now();
    for (const item of ctx.result.items) {
      if (!item.included || item.gap <= 0) continue;
      if (covered.has(item.questionId)) {
        unchanged += 1;
        continue;
      }
      const question = framework.questions.find((q) => q.id === item.questionId)!;
      const priority = actionPriority(ctx.result.items, [item.questionId]);
      const due = new Date(day.getTime() + DUE_DAYS[priority] * 86_400_000).toISOString().slice(0, 10);
      const id = randomUUID();
      const title = `${item.questionId}: reach level ${item.target}${item.critical ? ' (critical)' : ''}`;
      const rows = await tenantManager().query<unknown[]>(
        `INSERT INTO actions (organisation_id, id, title, description, due_date, question_ids, suggestion_key, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (organisation_id, suggestion_key) DO NOTHING RETURNING id`,
        [organisationId, id, title, `${question.text}\n\n${question.remediation}`, due, [item.questionId], item.questionId, userId],
      );
      if (rows.length === 0) {
        unchanged += 1;
        continue;
      }
      created.push(id);
    }
    if (created.length > 0) await this.audit.append({ action: 'action.suggested', entityType: 'assessment', entityId: assessmentId, data: { created } });
    const all = (await this.rows()).filter((r) => created.includes(r.id));
    return { created: all.map((r) => this.toAction(r, ctx, this.today())), unchanged };
  }

  async whatIf(assessmentId: string, body: WhatIfRequest): Promise<WhatIfResponse> {
    const { organisationId } = currentMember();
    const rows = await tenantManager().query<ActionRow[]>(`${SELECT} WHERE organisation_id = $1 AND id = ANY($2)`, [organisationId, body.actionIds]);
    if (rows.length !== new Set(body.actionIds).size) throw notFound('action');
    const ctx = await this.context(assessmentId);
    const included = new Set(ctx.result.items.map((i) => i.questionId));
    const questionIds = [...new Set(rows.flatMap((r) => r.question_ids))].filter((q) => included.has(q)).sort();
    const uplift = predictUplift(ctx.input, questionIds, ctx.result);
    return { questionIds, overall: uplift.overall, band: uplift.band, domains: uplift.domains, explanation: uplift.projected.explanation };
  }

  async exportCsv(): Promise<string> {
    const actions = await this.all();
    const members = await tenantManager().query<{ user_id: string; name: string; email: string }[]>('SELECT m.user_id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1', [
      currentMember().organisationId,
    ]);
    const who = new Map(members.map((m) => [m.user_id, `${m.name} <${m.email}>`]));
    const header = ['id', 'title', 'status', 'priority', 'horizon', 'overdue', 'owner', 'due_date', 'questions', 'predicted_uplift', 'description', 'closing_note', 'updated_at'];
    const rows: CsvCell[][] = actions.map((a) => [
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
