import { z } from 'zod';

import { DRILL_MILESTONES, DRILL_SETTINGS } from '@hoh/question-bank';

import { IsoDateTimeSchema, UuidSchema } from './common.js';
import { line, multiline } from './text.js';

/**
 * Incident drills (issue 30; docs/PRODUCT.md §15, docs/API.md §3.5 "Drills"): a facilitator runs a
 * scenario from the drill library with chosen participants; injects are revealed in order, decisions
 * and notes recorded with who and when; finishing stores a signed drill-record PDF as `exercise`
 * evidence. A drill takes words only: no field accepts a file, and text that carries a picture,
 * film or sound (a data: URI, a long base64 run) is refused.
 */

export const DrillSettingSchema = z.enum(DRILL_SETTINGS);
export const DrillMilestoneSchema = z.enum(DRILL_MILESTONES);
export const DRILL_STATUSES = ['running', 'paused', 'finished'] as const;
export const DrillStatusSchema = z.enum(DRILL_STATUSES);
export type DrillStatus = z.infer<typeof DrillStatusSchema>;
export const DRILL_RATINGS = ['as_expected', 'partly', 'missed'] as const;
export const DrillRatingSchema = z.enum(DRILL_RATINGS, { error: () => 'rating must be "as_expected", "partly" or "missed"' });
export type DrillRating = z.infer<typeof DrillRatingSchema>;

const MEDIA_DATA_URI = /data:\s*(?:image|video|audio)\//i;
const BASE64_RUN = /[A-Za-z0-9+/]{400,}={0,2}/;
/** What a drill's words must not carry: the product never accepts material, in any form (docs/PRODUCT.md §6.5). */
export function drillTextProblem(value: string): string | null {
  if (MEDIA_DATA_URI.test(value)) return 'Drills take words only: remove the embedded picture, film or sound (a data: URI). Never add suspected material; see /found-suspected-material.';
  if (BASE64_RUN.test(value)) return 'Drills take words only: remove the long encoded run (it can hold a file). Describe what happened in words.';
  return null;
}
const words = (schema: z.ZodString) =>
  schema.superRefine((value, ctx) => {
    const problem = drillTextProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const LibraryId = line({ what: 'id', max: 60 }).regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'Use an id from the drill library (lowercase words joined by - or _).');

export const DrillParticipantInputSchema = z.object({ userId: UuidSchema, roleId: LibraryId }).strict();

export const StartDrillRequestSchema = z
  .object({
    scenarioId: LibraryId,
    participants: z.array(DrillParticipantInputSchema).min(1, 'Name at least one participant and their role').max(30, 'A drill has at most 30 participants'),
  })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.participants.forEach((p, i) => {
      const key = `${p.userId.toLowerCase()}/${p.roleId}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['participants', i], message: 'This person already has this role in the drill; remove the repeat' });
      seen.add(key);
    });
  });
export type StartDrillRequest = z.infer<typeof StartDrillRequestSchema>;

export const RecordDrillDecisionRequestSchema = z
  .object({
    injectId: LibraryId,
    decisionId: LibraryId,
    /** The participant who made the decision (the facilitator may record it for them). */
    decidedBy: UuidSchema,
    response: words(multiline({ what: 'response', max: 2000 }).min(1, 'Say what was decided, in words')),
    /** The facilitator's judgement against the expected good practice; only the facilitator sets it. */
    rating: DrillRatingSchema.optional(),
    /** Common mistakes made, by their id in the scenario; only the facilitator sets them. */
    mistakes: z.array(LibraryId).max(10).optional(),
  })
  .strict();
export type RecordDrillDecisionRequest = z.infer<typeof RecordDrillDecisionRequestSchema>;

export const AddDrillNoteRequestSchema = z.object({ text: words(multiline({ what: 'text', max: 2000 }).min(1, 'Write the note')) }).strict();
export type AddDrillNoteRequest = z.infer<typeof AddDrillNoteRequestSchema>;

export const FinishDrillRequestSchema = z
  .object({
    lessons: z.array(words(multiline({ what: 'lesson', max: 1000 }).min(1, 'A lesson cannot be empty'))).max(20, 'At most 20 lessons'),
    followUps: z.array(words(line({ what: 'follow-up', max: 200 }).min(1, 'A follow-up cannot be empty'))).max(20, 'At most 20 follow-up actions'),
  })
  .strict();
export type FinishDrillRequest = z.infer<typeof FinishDrillRequestSchema>;

const PersonSchema = z.object({ userId: UuidSchema, name: z.string() });

export const DrillScenarioSummarySchema = z.object({
  id: z.string(),
  setting: DrillSettingSchema,
  title: z.string(),
  summary: z.string(),
  durationMinutes: z.number().int(),
  roles: z.array(z.object({ id: z.string(), title: z.string(), duty: z.string() })),
  questionIds: z.array(z.string()),
  injectCount: z.number().int(),
  firstHour: z.array(z.string()),
  legalReferences: z.array(z.object({ label: z.string(), url: z.string() })),
  sources: z.array(z.object({ url: z.string(), why: z.string() })),
});
export const DrillScenarioListResponseSchema = z.object({ libraryVersion: z.string(), scenarios: z.array(DrillScenarioSummarySchema) });
export type DrillScenarioSummary = z.infer<typeof DrillScenarioSummarySchema>;
export type DrillScenarioListResponse = z.infer<typeof DrillScenarioListResponseSchema>;

export const DrillDecisionViewSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  role: z.string(),
  milestone: DrillMilestoneSchema.nullable(),
  /** Shown to the facilitator while the drill runs, and to everyone once it is finished. */
  goodPractice: z.array(z.string()).nullable(),
  commonMistakes: z.array(z.object({ id: z.string(), text: z.string() })).nullable(),
});
export const DrillInjectViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  atMinute: z.number().int(),
  revealedAt: IsoDateTimeSchema,
  decisions: z.array(DrillDecisionViewSchema),
});

export const DRILL_EVENT_KINDS = ['started', 'revealed', 'decision', 'note', 'paused', 'resumed', 'finished'] as const;
export const DrillEventSchema = z.object({
  seq: z.number().int(),
  kind: z.enum(DRILL_EVENT_KINDS),
  at: IsoDateTimeSchema,
  /** Drill time: milliseconds since the start, paused time left out. */
  elapsedMs: z.number().int(),
  actor: PersonSchema,
  injectId: z.string().nullable(),
  decisionId: z.string().nullable(),
  decidedBy: PersonSchema.nullable(),
  text: z.string().nullable(),
  rating: DrillRatingSchema.nullable(),
  mistakes: z.array(z.string()),
  milestone: DrillMilestoneSchema.nullable(),
});
export type DrillEvent = z.infer<typeof DrillEventSchema>;

export const DrillRecordSchema = z.object({
  evidenceId: UuidSchema,
  /** The open assessment the record was linked on; null when there was none. */
  assessmentId: UuidSchema.nullable(),
  linkedQuestionIds: z.array(z.string()),
  pdfSha256: z.string(),
  /** Ed25519 over the canonical JSON of `manifest`, base64url, with the report signing key. */
  manifest: z.object({ drillId: UuidSchema, organisationId: UuidSchema, evidenceId: UuidSchema, finishedAt: IsoDateTimeSchema, pdfSha256: z.string() }),
  signature: z.string(),
  keyId: z.string(),
});
export type DrillRecord = z.infer<typeof DrillRecordSchema>;

export const DrillResponseSchema = z.object({
  id: UuidSchema,
  scenarioId: z.string(),
  libraryVersion: z.string(),
  title: z.string(),
  setting: DrillSettingSchema,
  status: DrillStatusSchema,
  facilitator: PersonSchema,
  participants: z.array(PersonSchema.extend({ roleId: z.string(), roleTitle: z.string() })),
  startedAt: IsoDateTimeSchema,
  pausedAt: IsoDateTimeSchema.nullable(),
  finishedAt: IsoDateTimeSchema.nullable(),
  /** Drill time as of this response (frozen while paused and once finished). */
  elapsedMs: z.number().int(),
  injectCount: z.number().int(),
  injects: z.array(DrillInjectViewSchema),
  timeline: z.array(DrillEventSchema),
  /** Drill time at which each milestone decision was first recorded; null when not reached. */
  milestones: z.object({ escalation: z.number().int().nullable(), isolation: z.number().int().nullable(), report_decision: z.number().int().nullable() }),
  lessons: z.array(z.string()),
  followUps: z.array(z.string()),
  record: DrillRecordSchema.nullable(),
  /** Whether the caller facilitates this drill (reveal, pause, resume, finish, rate decisions). */
  youFacilitate: z.boolean(),
  version: z.number().int(),
});
export type DrillResponse = z.infer<typeof DrillResponseSchema>;

export const DrillSummarySchema = DrillResponseSchema.pick({
  id: true,
  scenarioId: true,
  title: true,
  setting: true,
  status: true,
  facilitator: true,
  startedAt: true,
  finishedAt: true,
  version: true,
}).extend({ evidenceId: UuidSchema.nullable() });
export const DrillListResponseSchema = z.object({ items: z.array(DrillSummarySchema) });
export type DrillSummary = z.infer<typeof DrillSummarySchema>;
export type DrillListResponse = z.infer<typeof DrillListResponseSchema>;

/*
 * The schedule of drills (issue 30; docs/PRODUCT.md §15.5). ENT-05 asks that the discovery playbook
 * is exercised at least yearly, so each scenario is due twelve months after its last finished drill:
 * the instant its drill record, stored as `exercise` evidence, expires (the rule of
 * hoh_evidence_expiry: 12 calendar months in UTC, 29 February moving to 1 March). One pure rule here,
 * used by the API, the web and the reminders, so they never disagree.
 */

/** A scenario whose next drill falls due within this many days is "due soon". */
export const DRILL_DUE_SOON_DAYS = 30;
const DAY_MS = 86_400_000;

export const DRILL_SCHEDULE_STATES = ['never', 'overdue', 'due_soon', 'ok'] as const;
export const DrillScheduleStateSchema = z.enum(DRILL_SCHEDULE_STATES);
export type DrillScheduleState = z.infer<typeof DrillScheduleStateSchema>;

/** When a drill finished at `finishedAt` must be exercised again: the expiry of its record. */
export function drillDueAt(finishedAt: Date): Date {
  const next = new Date(finishedAt.getTime());
  // The year after a leap year is a common one, so 29 February rolls over to 1 March, as PostgreSQL's
  // "+ 12 months + 1 day" does for the record's expiry; every other date keeps its month, day and time.
  next.setUTCFullYear(next.getUTCFullYear() + 1);
  return next;
}

/** Where one scenario stands at `now`, given the finish of its last drill (null: never exercised). */
export function drillScheduleState(lastFinishedAt: Date | null, now: Date): { state: DrillScheduleState; dueAt: Date | null } {
  if (!lastFinishedAt) return { state: 'never', dueAt: null };
  const dueAt = drillDueAt(lastFinishedAt);
  const left = dueAt.getTime() - now.getTime();
  if (left <= 0) return { state: 'overdue', dueAt };
  if (left <= DRILL_DUE_SOON_DAYS * DAY_MS) return { state: 'due_soon', dueAt };
  return { state: 'ok', dueAt };
}

export interface FinishedDrillFact {
  drillId: string;
  scenarioId: string;
  finishedAt: Date;
  evidenceId: string | null;
}

export const DrillScheduleItemSchema = z.object({
  scenarioId: z.string(),
  title: z.string(),
  setting: DrillSettingSchema,
  state: DrillScheduleStateSchema,
  /** The finish of the scenario's last drill; null when it was never exercised. */
  lastExercisedAt: IsoDateTimeSchema.nullable(),
  lastDrillId: UuidSchema.nullable(),
  /** The last drill's record (exercise evidence), to open from the schedule. */
  lastEvidenceId: UuidSchema.nullable(),
  /** When the next drill is due (the last record's expiry); null when never exercised (due now). */
  dueAt: IsoDateTimeSchema.nullable(),
  /** Whole days until dueAt, rounded down; negative once overdue; null when never exercised. */
  daysLeft: z.number().int().nullable(),
});
export type DrillScheduleItem = z.infer<typeof DrillScheduleItemSchema>;
export const DrillScheduleResponseSchema = z.object({
  asOf: IsoDateTimeSchema,
  dueSoonDays: z.number().int(),
  /** One per scenario of the current library, the most pressing first (never, overdue, due soon, ok; then by due date). */
  items: z.array(DrillScheduleItemSchema),
});
export type DrillScheduleResponse = z.infer<typeof DrillScheduleResponseSchema>;

const STATE_ORDER: Record<DrillScheduleState, number> = { never: 0, overdue: 1, due_soon: 2, ok: 3 };

/**
 * The schedule: for each scenario its last finished drill (the latest finish; drills of any library
 * version count for the scenario id they ran), its state and due date, most pressing first. Drills
 * still running or paused do not count: only a finished drill has a record.
 */
export function drillSchedule(scenarios: readonly { id: string; title: string; setting: DrillScheduleItem['setting'] }[], finished: readonly FinishedDrillFact[], now: Date): DrillScheduleItem[] {
  const last = new Map<string, FinishedDrillFact>();
  for (const f of finished) {
    const seen = last.get(f.scenarioId);
    if (!seen || f.finishedAt.getTime() > seen.finishedAt.getTime() || (f.finishedAt.getTime() === seen.finishedAt.getTime() && f.drillId > seen.drillId)) last.set(f.scenarioId, f);
  }
  const items = scenarios.map((s): DrillScheduleItem => {
    const f = last.get(s.id) ?? null;
    const { state, dueAt } = drillScheduleState(f?.finishedAt ?? null, now);
    return {
      scenarioId: s.id,
      title: s.title,
      setting: s.setting,
      state,
      lastExercisedAt: f ? f.finishedAt.toISOString() : null,
      lastDrillId: f?.drillId ?? null,
      lastEvidenceId: f?.evidenceId ?? null,
      dueAt: dueAt ? dueAt.toISOString() : null,
      daysLeft: dueAt ? Math.floor((dueAt.getTime() - now.getTime()) / DAY_MS) : null,
    };
  });
  return items.sort(
    (a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.scenarioId.localeCompare(b.scenarioId),
  );
}

/**
 * The public first-hour steps (docs/PRODUCT.md §15.7): each scenario's organisation-neutral steps,
 * served without sign-in to the found-suspected-material page. Words from the library only.
 */
export const DrillFirstHourResponseSchema = z.object({
  libraryVersion: z.string(),
  scenarios: z.array(z.object({ id: z.string(), setting: DrillSettingSchema, title: z.string(), summary: z.string(), firstHour: z.array(z.string()) })),
});
export type DrillFirstHourResponse = z.infer<typeof DrillFirstHourResponseSchema>;

/** The bank's discovery-playbook question: "Is there a tested playbook for discovering suspected CSAM…". */
export const DISCOVERY_PLAYBOOK_QUESTION = 'ENT-04';

/**
 * What a signed-in member reaches from the found-suspected-material page (§15.7): the organisation's
 * own playbook — the newest accepted evidence linked to the discovery-playbook question, drill
 * records apart — and its last drill record.
 */
export const DrillPlaybookResponseSchema = z.object({
  questionId: z.string(),
  playbook: z.object({ evidenceId: UuidSchema, title: z.string(), kind: z.string(), issuedAt: IsoDateTimeSchema, reviewedAt: IsoDateTimeSchema.nullable() }).nullable(),
  lastDrill: z.object({ drillId: UuidSchema, scenarioId: z.string(), title: z.string(), finishedAt: IsoDateTimeSchema, evidenceId: UuidSchema.nullable() }).nullable(),
});
export type DrillPlaybookResponse = z.infer<typeof DrillPlaybookResponseSchema>;
