import { isDeepStrictEqual } from 'node:util';

import { Injectable } from '@nestjs/common';

import { evaluateApplicability, type Framework, getFramework, type OrganisationProfile } from '@hoh/question-bank';
import { deepFreeze, type ScoringAnswer, type ScoringEvidence, type ScoringInput, type Level } from '@hoh/scoring-engine';

import { notFound } from '../../common/app-error.js';
import { AppConfig } from '../../config/app-config.js';
import { prepared } from '../../database/prepared-statements.js';
import { tenantManager } from '../../database/tenant-context.js';

/** One assessment's scoring input as loadColumns() selects it (also embedded as JSON by the dashboard's one statement). */
export interface LoadedRow {
  id: string;
  status: 'draft' | 'in_review' | 'signed';
  framework_id: string;
  framework_version: string;
  /** Null without a frozen input, and when the caller already holds this one (KnownInputs.signed). */
  signed_scoring_input: ScoringInput | null;
  /** The assessment row's version (as text): a signed input is held under it. */
  assessment_version: string;
  profile: OrganisationProfile | null;
  verified: boolean;
  /** The input's version (scoring_input_versions, as text; '0' before any input row was written). */
  input_version: string;
  // Null for a signed assessment with a frozen input, and when the caller already holds this version.
  input_rows: InputRows | null;
}

interface InputRows {
  answers: AnswerRow[];
  evidence: EvidenceRow[];
  targets: Record<string, number>;
}

interface AnswerRow {
  question_id: string;
  value: string;
  author_id: string;
  review_status: 'pending' | 'approved' | 'returned';
  reviewer_id: string | null;
  na_approved: boolean;
}

// Dates arrive as ISO strings: the rows are aggregated to JSON inside the one statement.
interface EvidenceRow {
  question_id: string;
  id: string;
  status: ScoringEvidence['status'];
  kind: string;
  issued_at: string;
  expires_at: string | null;
}

type Items = ScoringInput['items'];
/** Frozen and shared like every other part of an input, so the engine's memo can key on it. */
const NO_ITEMS: Items = Object.freeze({});
const applicabilityCache = new Map<string, Items>();
const APPLICABILITY_CACHE_SIZE = 500;

/**
 * Applicability is a pure function of the bank and the profile, and evaluating it costs more CPU
 * than scoring itself (~1 ms against ~0.2 ms), so recent results are kept, keyed by their inputs.
 * They are shared between requests frozen (the engine only reads them; a write would throw), so a
 * read costs no copy.
 */
export function applicabilityOf(framework: Framework, profile: OrganisationProfile): Items {
  const key = `${framework.id}@${framework.version}:${JSON.stringify(profile)}`;
  let items = applicabilityCache.get(key);
  if (!items) {
    items = Object.fromEntries(evaluateApplicability(framework, profile).map((a) => [a.questionId, Object.freeze({ applicable: a.applicable, critical: a.critical })]));
    Object.freeze(items);
    if (applicabilityCache.size >= APPLICABILITY_CACHE_SIZE) applicabilityCache.delete(applicabilityCache.keys().next().value!);
    applicabilityCache.set(key, items);
  }
  return items;
}

const bankCache = new WeakMap<Framework, ScoringInput['bank']>();

/** The engine's view of a bank, built once per bank (frozen and shared, like applicability). */
export function bankOf(framework: Framework): ScoringInput['bank'] {
  let bank = bankCache.get(framework);
  if (!bank) {
    bank = { frameworkId: framework.id, version: framework.version, domains: framework.domains.map((d) => ({ id: d.id, title: d.title })), questions: [...framework.questions] };
    bank.domains.forEach((d) => Object.freeze(d));
    Object.freeze(bank.domains);
    Object.freeze(bank.questions);
    Object.freeze(bank);
    bankCache.set(framework, bank);
  }
  return bank;
}

export interface LoadedInput {
  input: ScoringInput;
  profile: OrganisationProfile | null;
  status: LoadedRow['status'];
  verified: boolean;
}

/** What loadColumns() reads over: the assessment and its input's version. */
export const LOAD_FROM = `assessments a LEFT JOIN scoring_input_versions iv ON iv.organisation_id = a.organisation_id AND iv.assessment_id = a.id`;

/**
 * The select list (over LOAD_FROM) that reads one assessment's scoring input in one statement
 * whatever its size: the assessment, the profile, whether an auditor verified it, the input's
 * version, and its answers, linked evidence and target overrides aggregated to JSON. The aggregates
 * are skipped (CASE evaluates its sub-selects lazily) for a signed assessment with a frozen input,
 * and when the caller passes the current version of that assessment among the inputs it holds:
 * aggregating them was more than half of PostgreSQL's CPU for a dashboard or score read (issue 9),
 * and they change far less often than they are read. Rows are aggregated whole (json_agg of a
 * sub-select), not with json_build_object per row: the same keys, compact JSON, measured cheaper on
 * both sides. A signed assessment's frozen input (~100 KB of JSON, the question bank included) is
 * likewise skipped when the caller holds it at the assessment row's current version.
 *
 * `firstParam` is the number of the first of the four array parameters KnownInputs.params fills
 * (held input ids and versions, held signed ids and versions).
 */
export const loadColumns = (firstParam: number) => {
  const [ids, versions, signedIds, signedVersions] = [0, 1, 2, 3].map((i) => `$${firstParam + i}`);
  return `
  a.id, a.status, a.framework_id, a.framework_version, a.version::text AS assessment_version,
    CASE WHEN a.status = 'signed'
          AND a.version IS NOT DISTINCT FROM (SELECT k.version FROM unnest(${signedIds}::uuid[], ${signedVersions}::bigint[]) k (id, version) WHERE k.id = a.id)
    THEN NULL ELSE a.signed_scoring_input END AS signed_scoring_input,
    (SELECT p.profile FROM organisation_profiles p WHERE p.organisation_id = a.organisation_id) AS profile,
    EXISTS (SELECT 1 FROM assessment_verifications v WHERE v.organisation_id = a.organisation_id AND v.assessment_id = a.id) AS verified,
    coalesce(iv.version, 0)::text AS input_version,
    CASE WHEN (a.status <> 'signed' OR a.signed_scoring_input IS NULL)
          AND coalesce(iv.version, 0) IS DISTINCT FROM (SELECT k.version FROM unnest(${ids}::uuid[], ${versions}::bigint[]) k (id, version) WHERE k.id = a.id)
    THEN json_build_object(
      'answers', (SELECT coalesce(json_agg(y), '[]') FROM (
         SELECT x.question_id, x.value, x.author_id, x.review_status, x.reviewer_id, x.na_approved
         FROM answers x WHERE x.organisation_id = a.organisation_id AND x.assessment_id = a.id) y),
      'evidence', (SELECT coalesce(json_agg(y), '[]') FROM (
         SELECT l.question_id, e.id, e.status, e.kind, e.issued_at, e.expires_at
         FROM answer_evidence l JOIN evidence e ON e.organisation_id = l.organisation_id AND e.id = l.evidence_id
         WHERE l.organisation_id = a.organisation_id AND l.assessment_id = a.id) y),
      'targets', (SELECT coalesce(json_object_agg(t.question_id, t.target), '{}')
         FROM target_overrides t WHERE t.organisation_id = a.organisation_id AND t.assessment_id = a.id)) END AS input_rows`;
};

const LOAD_SQL = prepared(`SELECT ${loadColumns(3)} FROM ${LOAD_FROM}
  WHERE a.organisation_id = $1 AND a.id = ANY($2::uuid[])`);

interface Versioned {
  organisationId: string;
  version: string;
}

/** The part of an input its rows decide, converted for the engine once and shared frozen (the engine only reads). */
interface CachedInput extends Versioned {
  kind: 'input';
  answers: ScoringInput['answers'];
  targets: NonNullable<ScoringInput['targets']>;
}

/**
 * A signed assessment's frozen input, held under the assessment row's version, deep-frozen so the
 * engine's memo can key on it. Its bank is the shared bankOf() when equal to it (a signed input
 * carries the whole bank it was scored with: most of its size). One variant per verification state,
 * made on first use (verification is read with every row, not frozen at sign-off).
 */
interface CachedSigned extends Versioned {
  kind: 'signed';
  byVerified: [ScoringInput | undefined, ScoringInput | undefined];
  frozen: ScoringInput;
}

/** Entries a caller holds for a statement: the ids and versions it passes, and the entries they name. */
interface Held<T> {
  ids: string[];
  versions: string[];
  entries: Map<string, T>;
}

/** The inputs a caller holds for a statement: pass `params` for loadColumns()'s four array parameters. */
export interface KnownInputs extends Held<CachedInput> {
  signed: Held<CachedSigned>;
  params: [string[], string[], string[], string[]];
}

type CacheEntry = CachedInput | CachedSigned;

function hold<T extends CacheEntry>(held: Held<T>, id: string, entry: T): void {
  held.ids.push(id);
  held.versions.push(entry.version);
  held.entries.set(id, entry);
}

/**
 * Recently read inputs per assessment, each under the version it was read at (a signed assessment's
 * frozen input under the assessment row's version, replacing what was held for it as a draft). The
 * statement skips the aggregates only when the database's version equals the one held, so an entry is never used
 * once anything it was built from changed, in this process or another (versions come from one
 * sequence and never repeat: see the migration AddScoringInputVersions). The statement runs under
 * row-level security and names the assessment it returns, so an entry is only ever used for the
 * tenant that can read that assessment. Least recently used entries go first.
 */
class InputCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly byOrganisation = new Map<string, Set<string>>();

  constructor(private readonly capacity: number) {}

  /** What this process holds for the organisation (its assessments in `ids`, or all of them). */
  known(organisationId: string, ids?: string[]): KnownInputs {
    const inputs: Held<CachedInput> = { ids: [], versions: [], entries: new Map() };
    const signed: Held<CachedSigned> = { ids: [], versions: [], entries: new Map() };
    for (const id of ids ?? this.byOrganisation.get(organisationId) ?? []) {
      const entry = this.entries.get(id);
      if (!entry || entry.organisationId !== organisationId) continue;
      if (entry.kind === 'signed') hold(signed, id, entry);
      else hold(inputs, id, entry);
    }
    return { ...inputs, signed, params: [inputs.ids, inputs.versions, signed.ids, signed.versions] };
  }

  used(id: string, entry: CacheEntry): void {
    // Unless a concurrent read replaced or evicted it since. Re-inserting moves the entry to the end
    // of the Map's order: the most recently used.
    if (this.entries.get(id) !== entry) return;
    this.entries.delete(id);
    this.entries.set(id, entry);
  }

  put(id: string, entry: CacheEntry): void {
    if (this.capacity === 0) return;
    this.forget(id);
    if (this.entries.size >= this.capacity) this.forget(this.entries.keys().next().value!);
    this.entries.set(id, entry);
    let ids = this.byOrganisation.get(entry.organisationId);
    if (!ids) this.byOrganisation.set(entry.organisationId, (ids = new Set()));
    ids.add(id);
  }

  private forget(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    const ids = this.byOrganisation.get(entry.organisationId);
    ids?.delete(id);
    if (ids?.size === 0) this.byOrganisation.delete(entry.organisationId);
  }
}

export const toEngineValue = (v: string): ScoringAnswer['value'] => (v === 'unknown' || v === 'not_applicable' ? v : (Number(v) as Level));

/**
 * Gathers everything the pure engine needs for one assessment in one statement whatever its size. Drafts use the current profile
 * (a fact change re-computes applicability); signed assessments return their frozen input.
 */
@Injectable()
export class ScoringInputRepository {
  private readonly cache: InputCache;

  constructor(config: AppConfig) {
    this.cache = new InputCache(config.env.SCORING_CACHE_ENTRIES);
  }

  async load(organisationId: string, assessmentId: string, asOf: Date): Promise<LoadedInput> {
    const loaded = (await this.loadMany(organisationId, [assessmentId], asOf)).get(assessmentId);
    if (!loaded) throw notFound('assessment');
    return loaded;
  }

  /** Many assessments' inputs in the same one statement (the assessment list scores a page at once). */
  async loadMany(organisationId: string, assessmentIds: string[], asOf: Date): Promise<Map<string, LoadedInput>> {
    if (assessmentIds.length === 0) return new Map();
    const known = this.cache.known(organisationId, assessmentIds);
    const rows = await tenantManager().query<LoadedRow[]>(LOAD_SQL, [organisationId, assessmentIds, ...known.params]);
    return new Map(rows.map((row) => [row.id, this.toInput(organisationId, row, asOf, known)]));
  }

  /** The inputs this process holds for the organisation: pass them to loadColumns() in a statement of your own, then the row and them to toInput(). */
  known(organisationId: string): KnownInputs {
    return this.cache.known(organisationId);
  }

  /** The engine's input from a row loadColumns() selected (the same conversion whichever statement read it). */
  toInput(organisationId: string, row: LoadedRow, asOf: Date, known: KnownInputs): LoadedInput {
    if (row.status === 'signed') {
      const signed = this.signedInput(organisationId, row, known);
      if (signed) return { input: signed, profile: null, status: row.status, verified: row.verified };
    }
    const framework = getFramework(row.framework_id, row.framework_version);
    if (!framework) throw new Error(`assessment ${row.id} uses unknown framework ${row.framework_id}@${row.framework_version}`);

    let rows: CachedInput;
    if (row.input_rows) {
      rows = deepFreeze({ kind: 'input' as const, organisationId, version: row.input_version, ...engineRows(row.input_rows) });
      this.cache.put(row.id, rows);
    } else {
      const held = known.entries.get(row.id);
      // The statement skips the rows only for a version the caller named, so this is a bug if it happens.
      if (!held || held.version !== row.input_version) throw new Error(`assessment ${row.id}: no input rows read and none held at version ${row.input_version}`);
      this.cache.used(row.id, held);
      rows = held;
    }
    const profile = row.profile;
    const input: ScoringInput = {
      asOf: asOf.toISOString(),
      bank: bankOf(framework),
      items: profile ? applicabilityOf(framework, profile) : NO_ITEMS,
      targets: rows.targets,
      answers: rows.answers,
      // Only a signed assessment without a frozen input gets here signed (one that predates them).
      lifecycle: { signedOff: row.status === 'signed', independentlyVerified: row.status === 'signed' && row.verified },
    };
    return { input, profile, status: row.status, verified: row.verified };
  }

  /**
   * A signed assessment's frozen input, as signed but for its verification (read with the row), from
   * the row or held from an earlier read at the same row version; undefined when it has none.
   */
  private signedInput(organisationId: string, row: LoadedRow, known: KnownInputs): ScoringInput | undefined {
    let entry: CachedSigned | undefined;
    if (row.signed_scoring_input) {
      entry = { kind: 'signed', organisationId, version: row.assessment_version, frozen: deepFreeze(withSharedBank(row.signed_scoring_input)), byVerified: [undefined, undefined] };
      this.cache.put(row.id, entry);
    } else {
      const held = known.signed.entries.get(row.id);
      // The statement leaves the input out only for the version the caller named: otherwise there is none.
      if (!held || held.version !== row.assessment_version) return undefined;
      this.cache.used(row.id, held);
      entry = held;
    }
    const slot = row.verified ? 1 : 0;
    return (entry.byVerified[slot] ??= Object.freeze({ ...entry.frozen, lifecycle: Object.freeze({ signedOff: true, independentlyVerified: row.verified }) }));
  }
}

/** The input with its bank replaced by the shared, frozen bankOf() of the same framework when they are equal. */
function withSharedBank(input: ScoringInput): ScoringInput {
  const framework = getFramework(input.bank.frameworkId, input.bank.version);
  const bank = framework ? bankOf(framework) : undefined;
  return bank && isDeepStrictEqual(input.bank, bank) ? { ...input, bank } : input;
}

/** Answers (each with its linked evidence) and targets in the engine's terms; nothing here depends on the time of reading. */
function engineRows({ answers, evidence, targets }: InputRows): Pick<CachedInput, 'answers' | 'targets'> {
  const evidenceByQuestion = new Map<string, ScoringEvidence[]>();
  for (const e of evidence) {
    const list = evidenceByQuestion.get(e.question_id) ?? [];
    list.push({ id: e.id, status: e.status, kind: e.kind, issuedAt: new Date(e.issued_at).toISOString(), expiresAt: e.expires_at === null ? null : new Date(e.expires_at).toISOString() });
    evidenceByQuestion.set(e.question_id, list);
  }
  return {
    targets,
    answers: answers.map((a) => ({
      questionId: a.question_id,
      value: toEngineValue(a.value),
      naApproved: a.na_approved,
      authorId: a.author_id,
      reviewedByOther: a.review_status === 'approved' && a.reviewer_id !== null && a.reviewer_id !== a.author_id,
      evidence: evidenceByQuestion.get(a.question_id) ?? [],
    })),
  };
}
