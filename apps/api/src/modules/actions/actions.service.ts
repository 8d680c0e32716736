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
  type QuestionLinks,
  questionLinksOn,
  score,
  type ScoringInput,
  type ScoringResult,
  suggestActions,
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
  /** Per-organisation, assigned by the database at insert (migration 1764347200000), never reused. */
  number: number;
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
  /** The links on `bank_version` (docs/PRODUCT.md §7.1). */
  question_ids: string[];
  bank_version: string;
  /** Links on earlier bank versions, oldest first, kept when a bank upgrade added links on a newer one. */
  earlier_question_links: QuestionLinks[];
  suggestion_key: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** What a summary reads of an action: the dashboard aggregates these columns inside its one statement. */
export const ACTION_SUMMARY_COLUMNS = `id, number, title, status, priority_override, question_ids, bank_version, earlier_question_links, to_char(due_date, 'YYYY-MM-DD') AS due_date, owner_id`;
export type ActionSummaryRow = Pick<
  ActionRow,
  'id' | 'number' | 'title' | 'status' | 'priority_override' | 'question_ids' | 'bank_version' | 'earlier_question_links' | 'due_date' | 'owner_id'
>;

/** Every version's links of an action, oldest first, the current one last. */
const linksOf = (row: Pick<ActionRow, 'question_ids' | 'bank_version' | 'earlier_question_links'>): QuestionLinks[] => [
  ...row.earlier_question_links,
  { bankVersion: row.bank_version, questionIds: row.question_ids },
];

/** The questions an action names on the bank of the assessment it is judged against (§7.1); its own links without one. */
function linkedOn(row: Pick<ActionRow, 'question_ids' | 'bank_version' | 'earlier_question_links'>, ctx: ActionContext | null): string[] {
  if (!ctx) return row.question_ids;
  return questionLinksOn(linksOf(row), ctx.input.bank.version, new Set(ctx.input.bank.questions.map((q) => q.id)));
}

/** What all() says of an action minus the what-if projection (see summaries()). */
export type ActionSummary = Pick<Action, 'id' | 'number' | 'title' | 'status' | 'priority' | 'computedPriority' | 'overdue' | 'questionIds' | 'dueDate' | 'ownerId'>;

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

const SELECT = `SELECT id, number, title, description, owner_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, status_reason, closing_note, closing_evidence_id,
  priority_override, priority_override_reason, question_ids, bank_version, earlier_question_links, suggestion_key, version, created_at, updated_at FROM actions`;

// By number: creation order, and for a batch of suggestions made in one transaction (one created_at), questionnaire order.
const ROWS_SQL = prepared(`${SELECT} WHERE organisation_id = $1 ORDER BY number`);
const ROW_SQL = prepared(`${SELECT} WHERE organisation_id = $1 AND id = $2`);

// The latest assessment and its assignees who may own an action, in one statement.
const LATEST_SQL = prepared(`SELECT a.id, COALESCE((
    SELECT json_object_agg(s.question_id, s.assignee_id) FROM assignments s
    JOIN memberships m ON m.organisation_id = s.organisation_id AND m.user_id = s.assignee_id AND m.role <> 'auditor'
    WHERE s.organisation_id = a.organisation_id AND s.assessment_id = a.id), '{}') AS assignees
  FROM assessments a WHERE a.organisation_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT 1`);
const ASSIGNEES_SQL = prepared(`SELECT s.question_id, s.assignee_id FROM assignments s
  JOIN memberships m ON m.organisation_id = s.organisation_id AND m.user_id = s.assignee_id AND m.role <> 'auditor'
  WHERE s.organisation_id = $1 AND s.assessment_id = $2`);

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
    const [latest] = await tenantManager().query<{ id: string; assignees: Record<string, string> }[]>(LATEST_SQL, [organisationId]);
    if (!latest) return null;
    return { ...(await this.context(latest.id)), assignees: new Map(Object.entries(latest.assignees)) };
  }

  private async context(assessmentId: string): Promise<ActionContext> {
    const { organisationId } = currentMember();
    const { input } = await this.scoring.loadInput(organisationId, assessmentId, this.clock.now());
    return { input, result: score(input) };
  }

  /** The fields the overview and the hand-on-heart check judge an action by: no what-if scoring. */
  private summaryOf(row: ActionSummaryRow, ctx: ActionContext | null, day: string): ActionSummary {
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

  private toAction(row: ActionRow, ctx: ActionContext | null, day: string): Action {
    const { computedPriority: computed } = this.summaryOf(row, ctx, day);
    const questionIds = linkedOn(row, ctx);
    const linked = ctx ? ctx.result.items.filter((i) => questionIds.includes(i.questionId)) : [];
    // ctx.result is score(ctx.input): passing it spares the engine re-scoring today's input per action.
    const uplift = ctx && linked.length > 0 ? predictUplift(ctx.input, linked.map((i) => i.questionId), ctx.result) : null;
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
        domains: Object.fromEntries(Object.entries(uplift?.domains ?? {}).filter(([, d]) => d.delta !== 0).map(([id, d]) => [id, d.delta])),
      },
      readyToClose: ['open', 'in_progress', 'blocked'].includes(row.status) && linked.length > 0 && linked.every((i) => i.included && i.gap === 0),
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
    return this.toAction(await this.row(id), await this.latestContext(), this.today());
  }

  private async assertMember(userId: string | null | undefined): Promise<void> {
    if (!userId) return;
    const found = await tenantManager().query<unknown[]>('SELECT 1 FROM memberships WHERE organisation_id = $1 AND user_id = $2', [currentMember().organisationId, userId]);
    if (found.length === 0) {
      throw new AppError('VALIDATION_FAILED', 'The owner must be a member of this organisation.', { details: [{ path: 'ownerId', message: 'Not a member of this organisation' }] });
    }
  }

  /** The bank version an action's links name: that of the assessment actions are judged against (§7.1). */
  private static bankOf(ctx: ActionContext | null): string {
    return ctx?.input.bank.version ?? CURRENT_FRAMEWORK.version;
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
    const { organisationId, userId } = currentMember();
    await this.assertMember(body.ownerId);
    const ctx = await this.latestContext();
    const bankVersion = ActionsService.bankOf(ctx);
    this.assertQuestions(body.questionIds, bankVersion);
    const id = randomUUID();
    // The database assigns the number (migration 1764347200000); the audit entry names it, as people will.
    const [inserted] = await tenantManager().query<{ number: number }[]>(
      `INSERT INTO actions (organisation_id, id, title, description, owner_id, due_date, question_ids, bank_version, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING number`,
      [organisationId, id, body.title, body.description ?? '', body.ownerId ?? null, body.dueDate ?? null, [...new Set(body.questionIds ?? [])], bankVersion, userId],
    );
    await this.audit.append({
      action: 'action.created',
      entityType: 'action',
      entityId: id,
      data: { after: { number: actionNumberLabel(inserted!.number), title: body.title, ownerId: body.ownerId ?? null, dueDate: body.dueDate ?? null, questionIds: body.questionIds ?? [], bankVersion } },
    });
    return this.toAction(await this.row(id), ctx, this.today());
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
   * One suggested action per included item below target that is not N/A (suggestActions, docs/PRODUCT.md
   * §7.5), titled with what to do and owned by the question's assignee. Idempotent: a question that
   * already has a suggestion, or an open action linked to it, gets nothing new, and edited actions
   * are never touched.
   */
  async suggest(assessmentId: string): Promise<SuggestActionsResponse> {
    const { organisationId, userId } = currentMember();
    const ctx = await this.context(assessmentId);
    const framework = getFramework(ctx.input.bank.frameworkId, ctx.input.bank.version)!;
    const assigned = await tenantManager().query<{ question_id: string; assignee_id: string }[]>(ASSIGNEES_SQL, [organisationId, assessmentId]);
    const suggestions = suggestActions(ctx.result, framework.questions, new Map(assigned.map((a) => [a.question_id, a.assignee_id])));
    const existing = await this.rows();
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
      const rows = await tenantManager().query<unknown[]>(
        `INSERT INTO actions (organisation_id, id, title, description, owner_id, due_date, question_ids, bank_version, suggestion_key, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (organisation_id, suggestion_key) DO NOTHING RETURNING id`,
        [organisationId, id, suggestion.title, suggestion.description, suggestion.ownerId, due, [suggestion.questionId], ctx.input.bank.version, suggestion.questionId, userId],
      );
      if (rows.length === 0) {
        unchanged += 1;
        continue;
      }
      created.push(id);
    }
    if (created.length > 0) await this.audit.append({ action: 'action.suggested', entityType: 'assessment', entityId: assessmentId, data: { created } });
    const rows = new Map((await this.rows()).map((r) => [r.id, r]));
    const withAssignees: ActionContext = { ...ctx, assignees: new Map(assigned.map((a) => [a.question_id, a.assignee_id])) };
    // In questionnaire order (the order suggestions were made), not by their random ids.
    return { created: created.map((id) => this.toAction(rows.get(id)!, withAssignees, this.today())), unchanged };
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
    // FOR UPDATE: the versions checked below cannot change before this transaction writes.
    const found = await tenantManager().query<ActionRow[]>(`${SELECT} WHERE organisation_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`, [member.organisationId, ids]);
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
        current: stale.map(({ row }) => this.toAction(row, ctx, day)),
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
      const updated = await tenantManager().query<unknown[]>(
        `WITH u AS (UPDATE actions SET owner_id = $3, due_date = $4, version = version + 1, updated_at = now()
           WHERE organisation_id = $1 AND id = $2 AND version = $5 RETURNING id) SELECT id FROM u`,
        [member.organisationId, item.id, ownerId, dueDate, item.version],
      );
      // The rows are locked and their versions checked above; this only guards that reasoning.
      if (updated.length === 0) throw new AppError('PRECONDITION_FAILED', 'Someone else changed these actions at the same moment. Reload them and try again; nothing was changed.');
      await this.audit.append({
        action: 'action.updated',
        entityType: 'action',
        entityId: item.id,
        data: { changed, before: { status: before.status, ownerId: before.owner_id, dueDate: before.due_date }, after: { status: before.status, ownerId, dueDate }, reason: null, bulk: true },
      });
    }
    const after = await tenantManager().query<ActionRow[]>(`${SELECT} WHERE organisation_id = $1 AND id = ANY($2::uuid[])`, [member.organisationId, ids]);
    const rows = new Map(after.map((r) => [r.id, r]));
    // Editing actions never changes the score they are judged against, so the context read above still holds.
    return { updated: ids.map((id) => this.toAction(rows.get(id)!, ctx, day)) };
  }

  async whatIf(assessmentId: string, body: WhatIfRequest): Promise<WhatIfResponse> {
    const { organisationId } = currentMember();
    const rows = await tenantManager().query<ActionRow[]>(`${SELECT} WHERE organisation_id = $1 AND id = ANY($2)`, [organisationId, body.actionIds]);
    if (rows.length !== new Set(body.actionIds).size) throw notFound('action');
    const ctx = await this.context(assessmentId);
    const included = new Set(ctx.result.items.map((i) => i.questionId));
    const questionIds = [...new Set(rows.flatMap((r) => linkedOn(r, ctx)))].filter((q) => included.has(q)).sort();
    const uplift = predictUplift(ctx.input, questionIds, ctx.result);
    return { questionIds, overall: uplift.overall, band: uplift.band, domains: uplift.domains, explanation: uplift.projected.explanation };
  }

  async exportCsv(): Promise<string> {
    const actions = await this.all();
    const members = await tenantManager().query<{ user_id: string; name: string; email: string }[]>('SELECT m.user_id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1', [
      currentMember().organisationId,
    ]);
    const who = new Map(members.map((m) => [m.user_id, `${m.name} <${m.email}>`]));
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
