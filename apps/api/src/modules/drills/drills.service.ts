import { createHash, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type {
  AddDrillNoteRequest,
  DrillEvent,
  DrillListResponse,
  DrillRecord,
  DrillResponse,
  DrillScenarioListResponse,
  DrillFirstHourResponse,
  DrillPlaybookResponse,
  DrillScheduleResponse,
  FinishDrillRequest,
  RecordDrillDecisionRequest,
  StartDrillRequest,
} from '@hoh/contracts';
import {
  CURRENT_DRILL_LIBRARY,
  DRILL_MILESTONES,
  type DrillMilestone,
  type DrillScenario,
  drillLibrary,
  drillScenario,
  getCurrentFramework,
  getFramework,
  listFrameworks,
} from '@hoh/question-bank';
import { DISCOVERY_PLAYBOOK_QUESTION, DRILL_DUE_SOON_DAYS, drillSchedule } from '@hoh/contracts';
import type { DrillRecordModel } from '@hoh/report-pdf';

import { AppError, notFound } from '../../common/app-error.js';
import { checkOptionalIfMatch } from '../../common/concurrency.js';
import { Clock } from '../../config/clock.js';
import { currentMember } from '../../database/tenant-context.js';
import { ActionsService } from '../actions/actions.service.js';
import { AuditService } from '../audit/audit.service.js';
import { EvidenceRepository } from '../evidence/evidence.repository.js';
import { EvidenceService } from '../evidence/evidence.service.js';
import { SigningKeyService } from '../reports/signing-key.service.js';
import { type DrillRow, DrillsRepository, type EventRow, type NewEvent, type ParticipantRow } from './drills.repository.js';

// Loaded on first finish, as the reports module does: pdfkit and the fonts stay out of API start-up.
let renderer: Promise<typeof import('@hoh/report-pdf')> | null = null;
const loadRenderer = () => (renderer ??= import('@hoh/report-pdf'));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MILESTONE_LABELS: Record<DrillMilestone, string> = { escalation: 'Escalation', isolation: 'Isolation', report_decision: 'Report decision' };

/** Drill time: wall time since the start with every pause left out (docs/PRODUCT.md §15.3). */
export function drillElapsed(d: Pick<DrillRow, 'started_at' | 'paused_at' | 'paused_ms' | 'finished_at'>, now: Date): number {
  const end = d.finished_at ?? d.paused_at ?? now;
  return Math.max(0, end.getTime() - d.started_at.getTime() - d.paused_ms);
}

function invalid(path: string, message: string, summary = 'The drill cannot take this; see details.'): AppError {
  return new AppError('VALIDATION_FAILED', summary, { details: [{ path, message }] });
}

/**
 * Incident drills (issue 30; docs/PRODUCT.md §15). The facilitator (an owner or assessor who started
 * the drill) reveals injects in order, pauses, resumes and finishes; participants and the facilitator
 * record decisions and notes. Every step locks the drill row, moves its version (If-Match), adds a
 * timeline event and an audit entry, in the request's one transaction.
 */
@Injectable()
export class DrillsService {
  constructor(
    private readonly repo: DrillsRepository,
    private readonly audit: AuditService,
    private readonly evidence: EvidenceService,
    private readonly evidenceRows: EvidenceRepository,
    private readonly signing: SigningKeyService,
    private readonly actions: ActionsService,
    private readonly clock: Clock,
  ) {}

  scenarios(): DrillScenarioListResponse {
    const library = drillLibrary();
    const roles = new Map(library.roles.map((r) => [r.id, r]));
    return {
      libraryVersion: library.version,
      scenarios: library.scenarios.map((s) => ({
        id: s.id,
        setting: s.setting,
        title: s.title,
        summary: s.summary,
        durationMinutes: s.durationMinutes,
        roles: s.roles.map((id) => roles.get(id)!),
        questionIds: s.questionIds,
        injectCount: s.injects.length,
        firstHour: s.firstHour,
        legalReferences: s.legalReferences,
        sources: s.sources,
      })),
    };
  }

  /** Per scenario of the current library: its last finished drill and when the next is due (docs/PRODUCT.md §15.5). */
  async schedule(): Promise<DrillScheduleResponse> {
    const now = this.clock.now();
    const finished = await this.repo.finished();
    const items = drillSchedule(
      drillLibrary().scenarios,
      finished.map((d) => ({ drillId: d.id, scenarioId: d.scenario_id, finishedAt: d.finished_at, evidenceId: d.evidence_id })),
      now,
    );
    return { asOf: now.toISOString(), dueSoonDays: DRILL_DUE_SOON_DAYS, items };
  }

  /** Public, no sign-in (§15.7): each scenario's organisation-neutral first-hour steps. */
  firstHour(): DrillFirstHourResponse {
    const library = drillLibrary();
    return {
      libraryVersion: library.version,
      scenarios: library.scenarios.map((s) => ({ id: s.id, setting: s.setting, title: s.title, summary: s.summary, firstHour: s.firstHour })),
    };
  }

  /** The organisation's own playbook and last drill record, for the found-suspected-material page (§15.7). */
  async playbook(): Promise<DrillPlaybookResponse> {
    const [playbook, finished] = [await this.evidenceRows.newestAcceptedLinkedTo(DISCOVERY_PLAYBOOK_QUESTION), await this.repo.finished()];
    const last = finished.reduce<(typeof finished)[number] | null>((a, d) => (!a || d.finished_at.getTime() > a.finished_at.getTime() ? d : a), null);
    return {
      questionId: DISCOVERY_PLAYBOOK_QUESTION,
      playbook: playbook
        ? { evidenceId: playbook.id, title: playbook.title, kind: playbook.kind, issuedAt: playbook.issued_at.toISOString(), reviewedAt: playbook.reviewed_at?.toISOString() ?? null }
        : null,
      lastDrill: last
        ? { drillId: last.id, scenarioId: last.scenario_id, title: drillScenario(last.scenario_id)?.title ?? last.scenario_id, finishedAt: last.finished_at.toISOString(), evidenceId: last.evidence_id }
        : null,
    };
  }

  async list(): Promise<DrillListResponse> {
    const rows = await this.repo.list();
    return {
      items: rows.map((d) => ({
        id: d.id,
        scenarioId: d.scenario_id,
        title: this.scenarioOf(d).title,
        setting: this.scenarioOf(d).setting,
        status: d.status,
        facilitator: { userId: d.facilitator_id, name: d.facilitator_name },
        startedAt: d.started_at.toISOString(),
        finishedAt: d.finished_at?.toISOString() ?? null,
        version: d.version,
        evidenceId: d.evidence_id,
      })),
    };
  }

  private scenarioOf(d: Pick<DrillRow, 'scenario_id' | 'library_version'>): DrillScenario {
    const scenario = drillScenario(d.scenario_id, d.library_version);
    if (!scenario) throw new Error(`Drill scenario ${d.scenario_id} ${d.library_version} is no longer in the library.`);
    return scenario;
  }

  async start(input: StartDrillRequest): Promise<DrillResponse> {
    const scenario = drillScenario(input.scenarioId);
    if (!scenario) {
      throw invalid('scenarioId', `No scenario "${input.scenarioId}" in drill library ${CURRENT_DRILL_LIBRARY}. Pick one from GET …/drills/scenarios.`);
    }
    const details: { path: string; message: string }[] = [];
    input.participants.forEach((p, i) => {
      if (!scenario.roles.includes(p.roleId)) details.push({ path: `participants.${i}.roleId`, message: `Not a role of this scenario; use one of: ${scenario.roles.join(', ')}` });
    });
    const members = await this.repo.members(input.participants.map((p) => p.userId.toLowerCase()));
    input.participants.forEach((p, i) => {
      if (!members.has(p.userId.toLowerCase())) details.push({ path: `participants.${i}.userId`, message: 'Not a member of this organisation; invite them first' });
    });
    if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'Some participants cannot take part as named; see details.', { details });

    const { userId } = currentMember();
    const id = randomUUID();
    const now = this.clock.now();
    await this.repo.insert({ id, scenarioId: scenario.id, libraryVersion: CURRENT_DRILL_LIBRARY, facilitatorId: userId, startedAt: now }, input.participants);
    // The first inject opens the drill (it is at minute 0), so starting reveals it.
    await this.repo.addEvent(id, { kind: 'started', at: now, elapsed_ms: 0, actor_id: userId });
    await this.repo.addEvent(id, { kind: 'revealed', at: now, elapsed_ms: 0, actor_id: userId, inject_id: scenario.injects[0]!.id });
    await this.audit.append({
      action: 'drill.started',
      entityType: 'drill',
      entityId: id,
      data: { scenarioId: scenario.id, libraryVersion: CURRENT_DRILL_LIBRARY, participants: input.participants.map((p) => ({ userId: p.userId.toLowerCase(), roleId: p.roleId })) },
    });
    return this.get(id);
  }

  async get(id: string): Promise<DrillResponse> {
    const drill = await this.load(id);
    return this.view(drill, await this.repo.participants(id), await this.repo.events(id));
  }

  private async load(id: string, lock = false): Promise<DrillRow> {
    if (!UUID.test(id)) throw notFound('drill');
    const drill = await this.repo.find(id.toLowerCase(), lock);
    if (!drill) throw notFound('drill');
    return drill;
  }

  private view(d: DrillRow, participants: ParticipantRow[], events: EventRow[]): DrillResponse {
    const scenario = this.scenarioOf(d);
    const library = drillLibrary(d.library_version);
    const roleTitle = new Map(library.roles.map((r) => [r.id, r.title]));
    const youFacilitate = currentMember().userId === d.facilitator_id;
    // Good practice is the answer sheet: the facilitator sees it while the drill runs, everyone once it is over.
    const showPractice = youFacilitate || d.status === 'finished';
    const revealedAt = new Map(events.filter((e) => e.kind === 'revealed').map((e) => [e.inject_id, e.at]));
    const milestones: Record<DrillMilestone, number | null> = { escalation: null, isolation: null, report_decision: null };
    for (const e of events) if (e.kind === 'decision' && e.milestone && milestones[e.milestone] === null) milestones[e.milestone] = e.elapsed_ms;
    return {
      id: d.id,
      scenarioId: d.scenario_id,
      libraryVersion: d.library_version,
      title: scenario.title,
      setting: scenario.setting,
      status: d.status,
      facilitator: { userId: d.facilitator_id, name: d.facilitator_name },
      participants: participants.map((p) => ({ userId: p.user_id, name: p.name, roleId: p.role_id, roleTitle: roleTitle.get(p.role_id) ?? p.role_id })),
      startedAt: d.started_at.toISOString(),
      pausedAt: d.paused_at?.toISOString() ?? null,
      finishedAt: d.finished_at?.toISOString() ?? null,
      elapsedMs: Math.round(drillElapsed(d, this.clock.now())),
      injectCount: scenario.injects.length,
      injects: scenario.injects.slice(0, d.revealed).map((inject) => ({
        id: inject.id,
        title: inject.title,
        text: inject.text,
        atMinute: inject.atMinute,
        revealedAt: (revealedAt.get(inject.id) ?? d.started_at).toISOString(),
        decisions: inject.decisions.map((dec) => ({
          id: dec.id,
          prompt: dec.prompt,
          role: dec.role,
          milestone: dec.milestone ?? null,
          goodPractice: showPractice ? dec.goodPractice : null,
          commonMistakes: showPractice ? dec.commonMistakes : null,
        })),
      })),
      timeline: events.map((e): DrillEvent => ({
        seq: e.seq,
        kind: e.kind,
        at: e.at.toISOString(),
        elapsedMs: Math.round(e.elapsed_ms),
        actor: { userId: e.actor_id, name: e.actor_name },
        injectId: e.inject_id,
        decisionId: e.decision_id,
        decidedBy: e.decided_by ? { userId: e.decided_by, name: e.decided_by_name ?? '' } : null,
        text: e.text,
        rating: e.rating,
        mistakes: e.mistakes,
        milestone: e.milestone,
      })),
      milestones,
      lessons: d.lessons,
      followUps: d.follow_ups,
      record:
        d.evidence_id && d.manifest && d.signature && d.key_id && d.pdf_sha256
          ? { evidenceId: d.evidence_id, assessmentId: d.assessment_id, linkedQuestionIds: d.linked_question_ids, pdfSha256: d.pdf_sha256, manifest: d.manifest, signature: d.signature, keyId: d.key_id }
          : null,
      youFacilitate,
      version: d.version,
    };
  }

  /**
   * The common start of every write: the drill locked, If-Match checked (412 with the drill as it
   * is), and who may do it. `who`: 'facilitator' for running the drill; 'participant' also admits
   * the named participants (decisions and notes).
   */
  private async forWrite(id: string, ifMatch: number | undefined, who: 'facilitator' | 'participant'): Promise<{ drill: DrillRow; participants: ParticipantRow[] }> {
    const drill = await this.load(id, true);
    const participants = await this.repo.participants(drill.id);
    if (ifMatch !== undefined && ifMatch !== drill.version) {
      checkOptionalIfMatch(ifMatch, drill.version, this.view(drill, participants, await this.repo.events(drill.id)));
    }
    const { userId } = currentMember();
    const facilitates = drill.facilitator_id === userId;
    if (who === 'facilitator' && !facilitates) {
      throw new AppError('FORBIDDEN', `Only the drill's facilitator (${drill.facilitator_name}) can do this. Ask them, or start a drill of your own.`);
    }
    if (who === 'participant' && !facilitates && !participants.some((p) => p.user_id === userId)) {
      throw new AppError('FORBIDDEN', 'Only the facilitator and the named participants record in this drill. Ask the facilitator to start a drill with you in it.');
    }
    if (drill.status === 'finished') throw new AppError('INVALID_STATE', 'This drill is finished; its record is kept as evidence. Start a new drill to practise again.');
    return { drill, participants };
  }

  private async moved(drill: DrillRow, set: Parameters<DrillsRepository['update']>[2]): Promise<void> {
    if (!(await this.repo.update(drill.id, drill.version, set))) {
      throw new AppError('PRECONDITION_FAILED', 'Someone else changed this drill at the same moment; reload it and try again.');
    }
  }

  private event(drill: DrillRow, now: Date, e: Omit<NewEvent, 'at' | 'elapsed_ms' | 'actor_id'>): NewEvent {
    return { ...e, at: now, elapsed_ms: drillElapsed(drill, now), actor_id: currentMember().userId };
  }

  async reveal(id: string, ifMatch: number | undefined): Promise<DrillResponse> {
    const { drill } = await this.forWrite(id, ifMatch, 'facilitator');
    if (drill.status === 'paused') throw new AppError('INVALID_STATE', 'The drill is paused; resume it before revealing the next inject.');
    const scenario = this.scenarioOf(drill);
    const next = scenario.injects[drill.revealed];
    if (!next) throw new AppError('INVALID_STATE', 'Every inject of this scenario is revealed; record the last decisions and finish the drill.');
    const now = this.clock.now();
    await this.moved(drill, { revealed: drill.revealed + 1 });
    await this.repo.addEvent(drill.id, this.event(drill, now, { kind: 'revealed', inject_id: next.id }));
    await this.audit.append({ action: 'drill.revealed', entityType: 'drill', entityId: drill.id, data: { injectId: next.id, elapsedMs: Math.round(drillElapsed(drill, now)) } });
    return this.get(drill.id);
  }

  async decide(id: string, input: RecordDrillDecisionRequest, ifMatch: number | undefined): Promise<DrillResponse> {
    const { drill, participants } = await this.forWrite(id, ifMatch, 'participant');
    if (drill.status === 'paused') throw new AppError('INVALID_STATE', 'The drill is paused; the facilitator resumes it before decisions are recorded.');
    const scenario = this.scenarioOf(drill);
    const injectIndex = scenario.injects.findIndex((i) => i.id === input.injectId);
    const inject = scenario.injects[injectIndex];
    if (!inject) throw invalid('injectId', `No inject "${input.injectId}" in this scenario.`);
    const decision = inject.decisions.find((d) => d.id === input.decisionId);
    if (!decision) throw invalid('decisionId', `No decision "${input.decisionId}" in inject "${inject.id}"; use one of: ${inject.decisions.map((d) => d.id).join(', ')}.`);
    if (injectIndex >= drill.revealed) throw new AppError('INVALID_STATE', `Inject "${inject.title}" is not revealed yet; the facilitator reveals it first.`);
    const decidedBy = input.decidedBy.toLowerCase();
    if (decidedBy !== drill.facilitator_id && !participants.some((p) => p.user_id === decidedBy)) {
      throw invalid('decidedBy', 'Name a participant of this drill (or its facilitator) as who decided.');
    }
    const { userId } = currentMember();
    if ((input.rating !== undefined || (input.mistakes?.length ?? 0) > 0) && userId !== drill.facilitator_id) {
      throw new AppError('FORBIDDEN', 'Only the facilitator rates a decision against good practice; record the decision without a rating or mistakes.');
    }
    const known = new Set(decision.commonMistakes.map((m) => m.id));
    const unknown = (input.mistakes ?? []).findIndex((m) => !known.has(m));
    if (unknown >= 0) throw invalid(`mistakes.${unknown}`, `Not a common mistake of this decision; use one of: ${[...known].join(', ')}.`);
    const now = this.clock.now();
    const mistakes = [...new Set(input.mistakes ?? [])];
    await this.moved(drill, {});
    await this.repo.addEvent(
      drill.id,
      this.event(drill, now, {
        kind: 'decision',
        inject_id: inject.id,
        decision_id: decision.id,
        decided_by: decidedBy,
        text: input.response,
        rating: input.rating ?? null,
        mistakes,
        milestone: decision.milestone ?? null,
      }),
    );
    await this.audit.append({
      action: 'drill.decision_recorded',
      entityType: 'drill',
      entityId: drill.id,
      data: { injectId: inject.id, decisionId: decision.id, decidedBy, rating: input.rating ?? null, mistakes, milestone: decision.milestone ?? null, elapsedMs: Math.round(drillElapsed(drill, now)) },
    });
    return this.get(drill.id);
  }

  async note(id: string, input: AddDrillNoteRequest, ifMatch: number | undefined): Promise<DrillResponse> {
    const { drill } = await this.forWrite(id, ifMatch, 'participant');
    const now = this.clock.now();
    await this.moved(drill, {});
    await this.repo.addEvent(drill.id, this.event(drill, now, { kind: 'note', text: input.text }));
    // The note's words stay in the drill; the chain holds its digest.
    await this.audit.append({ action: 'drill.note_added', entityType: 'drill', entityId: drill.id, data: { textSha256: createHash('sha256').update(input.text).digest('hex') } });
    return this.get(drill.id);
  }

  async pause(id: string, ifMatch: number | undefined): Promise<DrillResponse> {
    const { drill } = await this.forWrite(id, ifMatch, 'facilitator');
    if (drill.status === 'paused') throw new AppError('INVALID_STATE', 'The drill is already paused; resume it to carry on.');
    const now = this.clock.now();
    await this.moved(drill, { status: 'paused', paused_at: now });
    await this.repo.addEvent(drill.id, this.event(drill, now, { kind: 'paused' }));
    await this.audit.append({ action: 'drill.paused', entityType: 'drill', entityId: drill.id, data: { elapsedMs: Math.round(drillElapsed(drill, now)) } });
    return this.get(drill.id);
  }

  async resume(id: string, ifMatch: number | undefined): Promise<DrillResponse> {
    const { drill } = await this.forWrite(id, ifMatch, 'facilitator');
    if (drill.status !== 'paused' || !drill.paused_at) throw new AppError('INVALID_STATE', 'The drill is running; only a paused drill resumes.');
    const now = this.clock.now();
    const pausedMs = drill.paused_ms + Math.max(0, now.getTime() - drill.paused_at.getTime());
    await this.moved(drill, { status: 'running', paused_at: null, paused_ms: pausedMs });
    const resumed = { ...drill, paused_at: null, paused_ms: pausedMs };
    await this.repo.addEvent(drill.id, this.event(resumed, now, { kind: 'resumed' }));
    await this.audit.append({ action: 'drill.resumed', entityType: 'drill', entityId: drill.id, data: { pausedMs: Math.round(now.getTime() - drill.paused_at.getTime()) } });
    return this.get(drill.id);
  }

  /**
   * Finishing: the drill closes, its record is rendered and stored as `exercise` evidence uploaded by
   * the facilitator (so it counts only once someone else opens and accepts it), linked to the
   * exercised questions on the open assessment (none when there is no open one; never a signed one),
   * and its manifest signed with the report key; each follow-up becomes a remediation action. All in
   * this one transaction.
   */
  async finish(id: string, input: FinishDrillRequest, ifMatch: number | undefined): Promise<DrillResponse> {
    const { drill, participants } = await this.forWrite(id, ifMatch, 'facilitator');
    const now = this.clock.now();
    const pausedMs = drill.paused_at ? drill.paused_ms + Math.max(0, now.getTime() - drill.paused_at.getTime()) : drill.paused_ms;
    const scenario = this.scenarioOf(drill);
    // Follow-ups land on the remediation board (issue 30 item 3), linked to the exercised questions
    // that every published bank has, so the link holds whichever bank the latest assessment is on.
    const everyBank = listFrameworks().map((f) => new Set(getFramework(f.id, f.version)?.questions.map((q) => q.id)));
    const actionQuestions = scenario.questionIds.filter((q) => everyBank.every((bankIds) => bankIds.has(q)));
    const followUps: string[] = [];
    for (const title of input.followUps) {
      const action = await this.actions.create({ title, description: `Follow-up from the incident drill "${scenario.title}" of ${now.toISOString().slice(0, 10)} (drill ${drill.id}).`, questionIds: actionQuestions });
      followUps.push(`${action.number} ${title}`);
    }
    await this.moved(drill, { status: 'finished', paused_at: null, paused_ms: pausedMs, finished_at: now, lessons: input.lessons, follow_ups: followUps });
    const finished: DrillRow = { ...drill, status: 'finished', paused_at: null, paused_ms: pausedMs, finished_at: now, lessons: input.lessons, follow_ups: followUps };
    await this.repo.addEvent(drill.id, this.event(finished, now, { kind: 'finished' }));

    const assessment = await this.repo.openAssessment();
    const bank = assessment ? getFramework(assessment.framework_id, assessment.framework_version) : undefined;
    const linkable = bank ? scenario.questionIds.filter((q) => bank.questions.some((b) => b.id === q)) : [];
    const events = await this.repo.events(drill.id);
    const model = await this.recordModel(finished, scenario, participants, events, assessment && bank ? `${assessment.title} (${assessment.status.replace('_', ' ')}): ${linkable.join(', ')}` : 'No open assessment when the drill finished; link the record from the evidence library.');
    const pdf = await (await loadRenderer()).renderDrillRecord(model);
    const stored = await this.evidence.upload(
      { title: `Drill record: ${scenario.title} (${now.toISOString().slice(0, 10)})`, kind: 'exercise', issuedAt: now.toISOString() },
      { fileName: `drill-record-${drill.id.slice(0, 8)}.pdf`, bytes: pdf, truncated: false },
    );
    for (const questionId of linkable) await this.evidence.link(assessment!.id, questionId, stored.id);
    const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
    const manifest = { drillId: drill.id, organisationId: currentMember().organisationId, evidenceId: stored.id, finishedAt: now.toISOString(), pdfSha256 };
    const signed = this.signing.sign(manifest);
    const record: DrillRecord = { evidenceId: stored.id, assessmentId: assessment?.id ?? null, linkedQuestionIds: linkable, pdfSha256, manifest, signature: signed.signature, keyId: signed.keyId };
    await this.repo.storeRecord(drill.id, record);
    await this.audit.append({
      action: 'drill.finished',
      entityType: 'drill',
      entityId: drill.id,
      data: { elapsedMs: Math.round(drillElapsed(finished, now)), evidenceId: stored.id, pdfSha256, assessmentId: record.assessmentId, linkedQuestionIds: linkable, lessons: input.lessons.length, followUpActions: followUps },
    });
    return this.get(drill.id);
  }

  private async recordModel(d: DrillRow, scenario: DrillScenario, participants: ParticipantRow[], events: EventRow[], linkedTo: string): Promise<DrillRecordModel> {
    const library = drillLibrary(d.library_version);
    const roleTitle = new Map(library.roles.map((r) => [r.id, r.title]));
    const injectTitle = new Map(scenario.injects.map((i) => [i.id, i.title]));
    const decisionPrompt = new Map(scenario.injects.flatMap((i) => i.decisions.map((x) => [x.id, x.prompt] as const)));
    const questionText = new Map(getCurrentFramework().questions.map((q) => [q.id, q.text]));
    const decisionEvents = events.filter((e) => e.kind === 'decision');
    const mistakeText = new Map(scenario.injects.flatMap((i) => i.decisions.flatMap((x) => x.commonMistakes.map((m) => [`${x.id}/${m.id}`, m.text] as const))));
    const what = (e: EventRow): string => {
      switch (e.kind) {
        case 'started':
          return 'Started the drill';
        case 'revealed':
          return `Revealed “${injectTitle.get(e.inject_id ?? '') ?? e.inject_id}”`;
        case 'decision':
          return `Decision on “${decisionPrompt.get(e.decision_id ?? '') ?? e.decision_id}” by ${e.decided_by_name ?? ''}: ${e.text ?? ''}`;
        case 'note':
          return `Note: ${e.text ?? ''}`;
        case 'paused':
          return 'Paused the drill';
        case 'resumed':
          return 'Resumed the drill';
        case 'finished':
          return 'Finished the drill';
      }
    };
    const allMilestones: DrillMilestone[] = [...DRILL_MILESTONES];
    return {
      drillId: d.id,
      organisation: { id: currentMember().organisationId, name: await this.repo.organisationName() },
      scenario: {
        id: scenario.id,
        title: scenario.title,
        setting: scenario.setting,
        summary: scenario.summary,
        libraryVersion: d.library_version,
        legalReferences: scenario.legalReferences,
        sources: scenario.sources,
      },
      facilitator: d.facilitator_name,
      participants: participants.map((p) => ({ name: p.name, role: roleTitle.get(p.role_id) ?? p.role_id })),
      startedAt: d.started_at.toISOString(),
      finishedAt: (d.finished_at ?? this.clock.now()).toISOString(),
      elapsedMs: Math.round(drillElapsed(d, this.clock.now())),
      milestones: allMilestones.map((m) => {
        const decision = scenario.injects.flatMap((i) => i.decisions).find((x) => x.milestone === m);
        const first = decisionEvents.find((e) => e.milestone === m);
        return { label: MILESTONE_LABELS[m], elapsedMs: first ? Math.round(first.elapsed_ms) : null, decision: decision?.prompt ?? '' };
      }),
      timeline: events.map((e) => ({ elapsedMs: Math.round(e.elapsed_ms), at: e.at.toISOString(), who: e.actor_name, what: what(e) })),
      decisions: scenario.injects.slice(0, d.revealed).flatMap((inject) =>
        inject.decisions.map((x) => ({
          inject: inject.title,
          prompt: x.prompt,
          role: roleTitle.get(x.role) ?? x.role,
          goodPractice: x.goodPractice,
          responses: decisionEvents
            .filter((e) => e.inject_id === inject.id && e.decision_id === x.id)
            .map((e) => ({
              who: e.decided_by_name ?? '',
              elapsedMs: Math.round(e.elapsed_ms),
              text: e.text ?? '',
              rating: e.rating,
              mistakes: e.mistakes.map((m) => mistakeText.get(`${x.id}/${m}`) ?? m),
            })),
        })),
      ),
      notReached: scenario.injects.slice(d.revealed).map((i) => i.title),
      lessons: d.lessons,
      followUps: d.follow_ups,
      exercisedQuestions: scenario.questionIds.map((id) => ({ id, text: questionText.get(id) ?? id })),
      linkedTo,
    };
  }
}
