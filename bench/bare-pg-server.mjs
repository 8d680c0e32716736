// The baseline for database routes: bare node:http + a pg Pool sending the SAME statements the API
// sent for the same request (captured by pg-proxy from the API, session lookup, BEGIN, set_config
// and COMMIT included), as role hoh_app with row-level security on. It does no framework work and
// no scoring: it replays the statements and returns the last data rows as JSON, so the ratio
// isolates what Nest, the ORM and the engine add on top of the database.
//
// Spec (JSON file in SPEC): { appUrl, captured: { orgId, userId, assessmentId, questionId, tokenHash },
//   score: [{ sql, params, name?, sentWith?, syncedWith? }], write: [...], dashboard: [...] } (name: the API prepared it;
//   sentWith: the API sent it in one write with the statement before, pipelined, and so does this;
//   syncedWith: also in one batch with it, one Sync for both, so one transaction, and so does this).
// Captured values inside parameters become placeholders and are replaced per request (from the
// URL, the cookie's hash and the session row). The write route's dynamic values follow the same
// rules as the API: the If-Match version, and the audit entry's seq, id, time, data and hash chain.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import pg from 'pg';

const spec = JSON.parse(readFileSync(process.env.SPEC, 'utf8'));
const root = process.env.ROOT;
const { entryHash } = await import(pathToFileURL(join(root, 'apps/api/dist/apps/api/src/modules/audit/audit.service.js')).href);

// Pipeline mode, as the API's pool: statements sent together are written together.
const pool = new pg.Pool({ connectionString: spec.appUrl, max: 10, pipeline: true });
const VARS = ['tokenHash', 'orgId', 'userId', 'assessmentId', 'questionId'];

// Binary parameters (the session token's hash) arrive as { hex }.
function templateOf(value) {
  if (value && typeof value === 'object') return value.hex === spec.captured.tokenHash ? { var: 'tokenHash' } : value;
  if (typeof value !== 'string') return value;
  let out = value;
  for (const name of VARS) {
    const v = spec.captured[name];
    if (v) out = out.split(v).join(`{{${name}}}`);
  }
  return out;
}
const fill = (value, vars) =>
  typeof value === 'string'
    ? value.replace(/\{\{(\w+)\}\}/g, (_, n) => vars[n])
    : value && typeof value === 'object'
      ? Buffer.from(value.var ? vars[value.var] : value.hex, 'hex')
      : value;
const templates = (list) => list.map((s) => ({ sql: s.sql, params: s.params.map(templateOf), name: s.name, sentWith: s.sentWith === true, syncedWith: s.syncedWith === true }));
const SCORE = templates(spec.score);
const WRITE = templates(spec.write);
const DASHBOARD = templates(spec.dashboard ?? []);

const tokenHashHex = (token) => createHash('sha256').update(token).digest('hex');
const cookieToken = (req) => /(?:^|;\s*)hoh_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];

const SESSION_LOOKUP = /FROM sessions s\b/i;

/** Each statement's result; statements the API sent in one transaction batch go as BEGIN, each, COMMIT. */
function sendBatch(client, batch) {
  if (batch.length === 1) return [client.query(batch[0])];
  const sent = [client.query('BEGIN'), ...batch.map((q) => client.query(q)), client.query('COMMIT')];
  return sent.slice(1, -1).map((p) => Promise.all(sent).then(() => p));
}

async function replay(client, list, vars, hooks = {}) {
  const results = [];
  for (let i = 0; i < list.length; ) {
    // The statements the API wrote together (pipelined) go out in one write here too.
    let end = i + 1;
    while (end < list.length && list[end].sentWith) end++;
    const sent = [];
    const batches = [];
    client.connection.stream.cork();
    for (let j = i; j < end; j++) {
      const s = list[j];
      const params = hooks.params?.(j, s, results, vars) ?? s.params.map((p) => fill(p, vars));
      // A statement the API prepared runs prepared here too (planned once per connection), else unnamed.
      const query = s.name ? { name: s.name, text: s.sql, values: params } : s.params.length ? { text: s.sql, values: params } : s.sql;
      if (s.syncedWith && j > i) batches.at(-1).push(query);
      else batches.push([query]);
    }
    for (const batch of batches) sent.push(...sendBatch(client, batch));
    client.connection.stream.uncork();
    const settled = await Promise.allSettled(sent);
    for (const [k, outcome] of settled.entries()) {
      if (outcome.status === 'rejected') throw outcome.reason;
      const s = list[i + k];
      const rows = outcome.value.rows ?? [];
      results.push(rows);
      hooks.after?.(s, rows);
      // The session row names the user, as the API's session lookup does (inside the transaction or before it).
      if (SESSION_LOOKUP.test(s.sql)) {
        const row = rows[0];
        if (!row) return { status: 401, results };
        const key = Object.keys(row).find((k) => /user_?id$/i.test(k));
        vars.userId = row[key];
      }
    }
    i = end;
  }
  return { status: 200, results };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

// The score input's statement takes the versions the caller already holds ($3 ids, $4 versions) and
// then skips re-reading those inputs (apps/api scoring-input.repository.ts). The API keeps each
// input it read; this keeps only the versions, which is all the database sees of that, so both
// send the same statements with the same parameters.
const SCORING_INPUT = /FROM assessments a LEFT JOIN scoring_input_versions iv/;
const heldVersions = new Map();
function heldInputParams(_i, s, _results, vars) {
  const filled = s.params.map((p) => fill(p, vars));
  if (!SCORING_INPUT.test(s.sql)) return filled;
  const ids = (/\{([^}]*)\}/.exec(filled[1])?.[1] ?? '').split(',').map((id) => id.replace(/"/g, '')).filter(Boolean);
  const held = ids.filter((id) => heldVersions.has(id));
  filled[2] = `{${held.join(',')}}`;
  filled[3] = `{${held.map((id) => heldVersions.get(id)).join(',')}}`;
  return filled;
}
function rememberInputVersions(s, rows) {
  if (SCORING_INPUT.test(s.sql)) for (const row of rows) heldVersions.set(row.id, row.input_version);
}

// The dashboard's one statement embeds the same input columns and takes the inputs the API holds for
// the organisation as four arrays ($2..$5: draft input ids and versions, signed ids and assessment
// versions; apps/api scoring-input.repository.ts InputCache.known). This holds what each response
// returned, per organisation, as the API does, so both send the same parameters.
const DASHBOARD_READ = /AS latest_input/;
const heldByOrg = new Map();
function heldDashboardParams(_i, s, _results, vars) {
  const filled = s.params.map((p) => fill(p, vars));
  if (!DASHBOARD_READ.test(s.sql)) return filled;
  const held = [...(heldByOrg.get(vars.orgId)?.values() ?? [])];
  const draft = held.filter((h) => !h.signed);
  const signed = held.filter((h) => h.signed);
  const list = (xs) => `{${xs.join(',')}}`;
  return [filled[0], list(draft.map((h) => h.id)), list(draft.map((h) => h.version)), list(signed.map((h) => h.id)), list(signed.map((h) => h.version))];
}
function rememberDashboardInputs(vars) {
  return (s, rows) => {
    if (!DASHBOARD_READ.test(s.sql)) return;
    let held = heldByOrg.get(vars.orgId);
    if (!held) heldByOrg.set(vars.orgId, (held = new Map()));
    for (const input of [rows[0]?.latest_input, rows[0]?.previous_input]) {
      if (!input) continue;
      // A signed assessment with its frozen input is held under the assessment's version; anything else under its input version.
      const signed = input.status === 'signed' && (input.signed_scoring_input !== null || held.get(input.id)?.signed === true);
      held.set(input.id, { id: input.id, signed, version: signed ? input.assessment_version : input.input_version });
    }
  };
}

const AUDIT_INSERT = /^\s*INSERT INTO audit_log/i;
// The chain head read, with or without a table alias.
const LAST_AUDIT = /FROM audit_log (?:(\w+) )?WHERE (?:\1\.)?organisation_id = \$1 ORDER BY (?:\1\.)?seq DESC/i;
const CONDITIONAL_UPDATE = /UPDATE answers SET/i;
// The answer before the write: its own SELECT *, or the before_* columns of the API's one write-context read.
const BEFORE = /^SELECT \* FROM answers WHERE|before_version/i;
const beforeOf = (row) =>
  row && 'before_version' in row
    ? row.before_version === null
      ? undefined
      : { value: row.before_value, justification: row.before_justification, comment: row.before_comment, version: row.before_version }
    : row;

async function handle(req, res) {
  if (req.url === '/live') return send(res, 200, { status: 'alive' });
  const dashboard = /^\/api\/v1\/orgs\/([^/]+)\/dashboard$/.exec(req.url);
  if (dashboard) {
    const token = cookieToken(req);
    if (!token) return send(res, 401, {});
    const vars = { tokenHash: tokenHashHex(token), orgId: dashboard[1], assessmentId: '', questionId: '' };
    const client = await pool.connect();
    try {
      const { status, results } = await replay(client, DASHBOARD, vars, { params: heldDashboardParams, after: rememberDashboardInputs(vars) });
      if (status !== 200) await client.query('ROLLBACK');
      const last = DASHBOARD.findIndex((s) => DASHBOARD_READ.test(s.sql));
      return send(res, status, results[last] ?? []);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      return send(res, 500, { error: String(error) });
    } finally {
      client.release();
    }
  }
  const m = /^\/api\/v1\/orgs\/([^/]+)\/assessments\/([^/]+)\/(score|answers\/([^/?]+))/.exec(req.url);
  const token = cookieToken(req);
  if (!m || !token) return send(res, 404, { error: 'no route' });
  const vars = { tokenHash: tokenHashHex(token), orgId: m[1], assessmentId: m[2], questionId: m[4] ?? '' };
  const client = await pool.connect();
  try {
    if (m[3] === 'score') {
      const { status, results } = await replay(client, SCORE, vars, { params: heldInputParams, after: rememberInputVersions });
      if (status !== 200) await client.query('ROLLBACK');
      // The read's rows: the last statement's, or the one before a closing COMMIT.
      const last = SCORE.findLastIndex((s) => !/^COMMIT\b/i.test(s.sql));
      return send(res, status, results[last] ?? []);
    }
    const ifMatch = Number(/"(\d+)"/.exec(req.headers['if-match'] ?? '')?.[1]);
    let body = '';
    for await (const chunk of req) body += chunk;
    JSON.parse(body);
    let before;
    let after;
    let last;
    const { status } = await replay(client, WRITE, vars, {
      params: (i, s, results) => {
        const prev = results[i - 1];
        if (i > 0 && BEFORE.test(WRITE[i - 1].sql)) before = beforeOf(prev[0]);
        if (i > 0 && CONDITIONAL_UPDATE.test(WRITE[i - 1].sql)) after = prev[0];
        if (i > 0 && LAST_AUDIT.test(WRITE[i - 1].sql)) last = prev[0];
        const filled = s.params.map((p) => fill(p, vars));
        // The If-Match version is whichever parameter the statement compares `version` with.
        if (CONDITIONAL_UPDATE.test(s.sql)) filled[Number(/\bversion = \$(\d+)/.exec(s.sql)[1]) - 1] = String(ifMatch);
        if (AUDIT_INSERT.test(s.sql)) {
          const data = JSON.parse(filled[8]);
          data.before = before ? { value: before.value, justification: before.justification, comment: before.comment, version: before.version } : null;
          data.after = after ? { value: after.value, justification: after.justification, comment: after.comment, version: after.version } : null;
          const partial = {
            seq: last ? Number(last.seq) + 1 : 1,
            id: randomUUID(),
            occurredAt: new Date().toISOString(),
            actorId: vars.userId,
            action: filled[5],
            entityType: filled[6],
            entityId: filled[7],
            data,
            prevHash: last?.hash ?? '0'.repeat(64),
          };
          return [filled[0], partial.seq, partial.id, partial.occurredAt, partial.actorId, partial.action, partial.entityType, partial.entityId, JSON.stringify(data), partial.prevHash, entryHash(vars.orgId, partial)];
        }
        return filled;
      },
    });
    if (status !== 200) {
      await client.query('ROLLBACK');
      return send(res, status, {});
    }
    if (!after) return send(res, 412, { error: 'stale' });
    res.setHeader('etag', `"${after.version}"`);
    return send(res, 200, after);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    return send(res, 500, { error: String(error) });
  } finally {
    client.release();
  }
}

http
  .createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, { error: String(e) }));
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
