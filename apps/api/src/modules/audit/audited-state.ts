import { createHash } from 'node:crypto';

import { canonicalJson } from '@hoh/question-bank';

/**
 * How a column's value is kept in the chain and compared: `value` as it is (JSON), `instant` as an
 * ISO 8601 UTC instant (so the session's TimeZone cannot make equal times differ), `digest` as the
 * SHA-256 of its canonical JSON (for large values: a signed assessment's frozen input is ~100 KB).
 */
export type AuditedColumnKind = 'value' | 'instant' | 'digest';

export interface AuditedTable {
  /** The columns naming a row within its organisation, joined with '/' into the row id drift reports. */
  key: readonly string[];
  columns: Readonly<Record<string, AuditedColumnKind>>;
}

/**
 * THE list of audited row state: every (table, column) the scoring engine's input is built from
 * (scoring-input.repository.ts), plus assessment status, signature and auditor verifications.
 * Used both when writing (audit.service.ts takes the rows the capture trigger recorded and keeps
 * these columns in the entry's `state`) and by verify (which compares every current row's columns
 * with the last state the chain holds for it). Auditing another column of these tables is one line
 * here; another table also needs the capture trigger (migration 1764346800000, `hoh_audit_capture_state`).
 * `audit-coverage.e2e-spec.ts` fails when the engine's input gains a field that is not listed here.
 */
export const AUDITED_STATE = {
  assessments: {
    key: ['id'],
    columns: {
      status: 'value',
      framework_id: 'value',
      framework_version: 'value',
      signature: 'digest',
      signed_scoring_input: 'digest',
      signed_score: 'value',
      signed_band: 'value',
    },
  },
  answers: {
    key: ['assessment_id', 'question_id'],
    columns: {
      value: 'value',
      justification: 'value',
      comment: 'value',
      // TRN-06's detection figures (issue 22): part of the answer, so audited like it.
      figures: 'value',
      version: 'value',
      author_id: 'value',
      review_status: 'value',
      reviewer_id: 'value',
      na_approved: 'value',
    },
  },
  // A link's existence is its state.
  answer_evidence: { key: ['assessment_id', 'question_id', 'evidence_id'], columns: {} },
  evidence: {
    key: ['id'],
    columns: { status: 'value', kind: 'value', issued_at: 'instant', expires_at: 'instant', reviewer_id: 'value', sha256: 'value' },
  },
  target_overrides: { key: ['assessment_id', 'question_id'], columns: { target: 'value' } },
  organisation_profiles: { key: ['organisation_id'], columns: { profile: 'value' } },
  assessment_verifications: { key: ['id'], columns: { assessment_id: 'value', auditor_id: 'value' } },
  // Accepting evidence requires an open (issue 24): a forged open row shows as drift.
  evidence_opens: { key: ['evidence_id', 'user_id'], columns: { opened_at: 'instant', how: 'value' } },
} as const satisfies Record<string, AuditedTable>;

export type AuditedTableName = keyof typeof AUDITED_STATE;
export const AUDITED_TABLES = Object.keys(AUDITED_STATE) as AuditedTableName[];

const isAudited = (table: string): table is AuditedTableName => Object.hasOwn(AUDITED_STATE, table);

/** One row's audited state as an entry's `data.state` holds it; `values` null: the row was deleted. */
export interface StateChange {
  table: AuditedTableName;
  key: string;
  values: Record<string, unknown> | null;
}

function normalise(kind: AuditedColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  // PostgreSQL's JSON gives a timestamp as a string; anything else is kept as it is, so it differs.
  if (kind === 'instant' && typeof value === 'string') {
    const time = new Date(value);
    return Number.isNaN(time.getTime()) ? value : time.toISOString();
  }
  if (kind === 'digest') return createHash('sha256').update(canonicalJson(value)).digest('hex');
  return value;
}

/** The row id drift names: the key columns' values joined with '/'. */
export const rowKey = (table: AuditedTableName, row: Record<string, unknown>): string => AUDITED_STATE[table].key.map((k) => String(row[k])).join('/');

/** The audited columns of a row (as PostgreSQL's JSON gives them), normalised for the chain. */
export function auditedValues(table: AuditedTableName, row: Record<string, unknown>): Record<string, unknown> {
  const columns: Record<string, AuditedColumnKind> = AUDITED_STATE[table].columns;
  return Object.fromEntries(Object.entries(columns).map(([column, kind]) => [column, normalise(kind, row[column])]));
}

/**
 * The SQL that reads every current row of an audited table for one organisation ($1), each as one
 * JSON object of its key and audited columns. jsonb_build_object converts each column exactly as the
 * capture trigger's to_jsonb(row) does, so both sides compare like with like.
 */
export function currentStateSql(table: AuditedTableName): string {
  const spec: AuditedTable = AUDITED_STATE[table];
  const columns = [...new Set([...spec.key, ...Object.keys(spec.columns)])];
  return `SELECT jsonb_build_object(${columns.map((c) => `'${c}', t."${c}"`).join(', ')}) AS "row" FROM "${table}" t WHERE t.organisation_id = $1`;
}

/** The transaction-local setting the capture trigger appends each written row to (one JSON object a line). */
export const CAPTURED_STATE_SETTING = 'hoh.audit_state';

/**
 * The rows the capture trigger recorded in this transaction (newline-separated JSON objects
 * `{t: table, d: deleted, r: row}`), as the state an audit entry keeps: one change per row of this
 * organisation, the last write of each row winning.
 */
export function capturedState(organisationId: string, captured: string | null | undefined): StateChange[] {
  if (!captured) return [];
  const byRow = new Map<string, StateChange>();
  for (const line of captured.split('\n')) {
    if (line === '') continue;
    const { t, d, r } = JSON.parse(line) as { t: string; d: boolean; r: Record<string, unknown> };
    // Row-level security keeps a request inside its organisation; a row of another could only come from a bug.
    if (!isAudited(t) || r['organisation_id'] !== organisationId) continue;
    const key = rowKey(t, r);
    const id = `${t}\u0000${key}`;
    byRow.delete(id);
    byRow.set(id, { table: t, key, values: d ? null : auditedValues(t, r) });
  }
  return [...byRow.values()];
}

/** An entry's `data.state`, when it has one (older entries and those that changed no audited row do not). */
export function stateOf(data: Record<string, unknown>): StateChange[] {
  const state = data['state'];
  return Array.isArray(state) ? (state as StateChange[]) : [];
}
