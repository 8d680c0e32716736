import { z } from 'zod';

import allowedData from '../content/drills/allowed-sources.json' with { type: 'json' };
import library100 from '../content/drills/1.0.0/library.json' with { type: 'json' };
import { getCurrentFramework } from './frameworks.js';
import { QUESTION_ID } from './schema.js';

/**
 * The drill scenario library (docs/PRODUCT.md §15.1): tabletop scenarios for the first hours after
 * suspected CSAM turns up, versioned data like the question bank. Each scenario reveals injects in
 * order; each inject asks decisions of a role, with the expected good practice and the common
 * mistakes; three decisions mark the milestones whose elapsed times a drill records. Sources are
 * cited by URL and only from the allow-list kept beside the library (`allowed-sources.json`).
 */

export const DRILL_SETTINGS = ['platform', 'corporate_device', 'backup_cloud', 'livestream', 'notice', 'staff_implicated'] as const;
export type DrillSetting = (typeof DRILL_SETTINGS)[number];

/** The moments whose elapsed time (from the drill's start, pauses excluded) the record reports. */
export const DRILL_MILESTONES = ['escalation', 'isolation', 'report_decision'] as const;
export type DrillMilestone = (typeof DRILL_MILESTONES)[number];

const Id = z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'Ids are lowercase words joined by - or _.');
const Sentence = z.string().min(10).max(600);

export const AllowedSourcesSchema = z
  .object({
    note: z.string(),
    sources: z
      .array(z.object({ id: Id, publisher: z.string().min(2), title: z.string().min(5), url: z.url({ protocol: /^https$/ }) }).strict())
      .min(1),
  })
  .strict();
export type AllowedSources = z.infer<typeof AllowedSourcesSchema>;

const MistakeSchema = z.object({ id: Id, text: Sentence }).strict();

const DecisionSchema = z
  .object({
    id: Id,
    prompt: Sentence,
    role: Id,
    milestone: z.enum(DRILL_MILESTONES).optional(),
    goodPractice: z.array(Sentence).min(1),
    commonMistakes: z.array(MistakeSchema).min(1),
  })
  .strict();

const InjectSchema = z
  .object({
    id: Id,
    /** Minutes after the start at which the scenario's script reveals it (the facilitator reveals it in fact). */
    atMinute: z.number().int().min(0).max(24 * 60),
    title: z.string().min(3).max(120),
    text: z.string().min(20).max(1200),
    decisions: z.array(DecisionSchema).min(1),
  })
  .strict();

const ScenarioSchema = z
  .object({
    id: Id,
    setting: z.enum(DRILL_SETTINGS),
    title: z.string().min(5).max(120),
    summary: Sentence,
    durationMinutes: z.number().int().min(10).max(480),
    roles: z.array(Id).min(2),
    questionIds: z.array(z.string().regex(QUESTION_ID)).min(1),
    legalReferences: z.array(z.object({ label: z.string().min(5), url: z.url() }).strict()).min(1),
    sources: z.array(z.object({ url: z.url(), why: Sentence }).strict()).min(1),
    /** Organisation-neutral first-hour steps, safe to show without sign-in. */
    firstHour: z.array(Sentence).min(2),
    injects: z.array(InjectSchema).min(2),
  })
  .strict();

export const DrillLibrarySchema = z
  .object({
    id: z.literal('hoh-drills'),
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    publishedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    note: z.string(),
    roles: z.array(z.object({ id: Id, title: z.string().min(2), duty: Sentence }).strict()).min(2),
    scenarios: z.array(ScenarioSchema).min(6),
  })
  .strict();
export type DrillLibrary = z.infer<typeof DrillLibrarySchema>;
export type DrillScenario = z.infer<typeof ScenarioSchema>;
export type DrillInject = z.infer<typeof InjectSchema>;
export type DrillDecision = z.infer<typeof DecisionSchema>;

/**
 * The cross-field rules zod cannot state per field: unique ids, roles from the library, the six
 * settings covered, every milestone exactly once per scenario, injects in time order, question ids
 * from the bank given, every URL (sources and legal references) on the allow-list. Returns every
 * problem found as `path: message`, empty when the library is sound.
 */
export function checkDrillLibrary(library: DrillLibrary, allowed: AllowedSources, bankQuestionIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const allowedUrls = new Set(allowed.sources.map((s) => s.url));
  const roleIds = new Set(library.roles.map((r) => r.id));
  const seen = new Set<string>();
  const settings = new Set<DrillSetting>();
  library.scenarios.forEach((s, i) => {
    const at = `scenarios.${i} (${s.id})`;
    if (seen.has(s.id)) problems.push(`${at}: duplicate scenario id`);
    seen.add(s.id);
    settings.add(s.setting);
    for (const role of s.roles) if (!roleIds.has(role)) problems.push(`${at}.roles: ${role} is not a role of the library`);
    for (const q of s.questionIds) if (!bankQuestionIds.has(q)) problems.push(`${at}.questionIds: ${q} is not a question of the current bank`);
    if (new Set(s.questionIds).size !== s.questionIds.length) problems.push(`${at}.questionIds: listed twice`);
    for (const { url } of [...s.sources, ...s.legalReferences]) {
      if (!allowedUrls.has(url)) problems.push(`${at}: ${url} is not on the allow-list (content/drills/allowed-sources.json)`);
    }
    const injectIds = new Set<string>();
    const decisionIds = new Set<string>();
    const milestones: DrillMilestone[] = [];
    let last = -1;
    for (const inject of s.injects) {
      if (injectIds.has(inject.id)) problems.push(`${at}.injects: duplicate inject id ${inject.id}`);
      injectIds.add(inject.id);
      if (inject.atMinute < last) problems.push(`${at}.injects: ${inject.id} is revealed before the inject above it`);
      last = inject.atMinute;
      for (const d of inject.decisions) {
        if (decisionIds.has(d.id)) problems.push(`${at}: decision id ${d.id} is used twice (ids are unique within a scenario)`);
        decisionIds.add(d.id);
        if (!s.roles.includes(d.role)) problems.push(`${at}.${inject.id}.${d.id}: role ${d.role} is not one of the scenario's roles`);
        if (d.milestone) milestones.push(d.milestone);
        if (new Set(d.commonMistakes.map((m) => m.id)).size !== d.commonMistakes.length) problems.push(`${at}.${inject.id}.${d.id}: duplicate mistake id`);
      }
    }
    if (s.injects[0]?.atMinute !== 0) problems.push(`${at}.injects: the first inject opens the drill, at minute 0`);
    for (const m of DRILL_MILESTONES) {
      const count = milestones.filter((x) => x === m).length;
      if (count !== 1) problems.push(`${at}: milestone ${m} is marked on ${count} decisions; exactly one is needed`);
    }
  });
  for (const setting of DRILL_SETTINGS) if (!settings.has(setting)) problems.push(`scenarios: no scenario covers the ${setting} setting`);
  return problems;
}

export const DRILL_LIBRARY_VERSIONS = ['1.0.0'] as const;
export const CURRENT_DRILL_LIBRARY = '1.0.0';

let allowedParsed: AllowedSources | undefined;
export function allowedDrillSources(): AllowedSources {
  return (allowedParsed ??= AllowedSourcesSchema.parse(allowedData));
}

const parsedLibraries = new Map<string, DrillLibrary>();
/**
 * A published library version, validated on first use against its schema, the allow-list and the
 * current bank (so a bank version that drops an exercised question fails every test run).
 */
export function drillLibrary(version: string = CURRENT_DRILL_LIBRARY): DrillLibrary {
  const cached = parsedLibraries.get(version);
  if (cached) return cached;
  if (version !== '1.0.0') throw new Error(`Drill library ${version} is not published; versions: ${DRILL_LIBRARY_VERSIONS.join(', ')}.`);
  const library = DrillLibrarySchema.parse(library100);
  const problems = checkDrillLibrary(library, allowedDrillSources(), new Set(getCurrentFramework().questions.map((q) => q.id)));
  if (problems.length > 0) throw new Error(`Drill library ${version} is not valid:\n${problems.join('\n')}`);
  parsedLibraries.set(version, library);
  return library;
}

export function drillScenario(id: string, version: string = CURRENT_DRILL_LIBRARY): DrillScenario | undefined {
  return drillLibrary(version).scenarios.find((s) => s.id === id);
}
