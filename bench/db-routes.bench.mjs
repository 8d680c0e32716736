// Database routes at scale (issue 9; docs/SCALING.md §5), on one migrated PostgreSQL:
//   seed.1000orgs.s           seeding 1,000 organisations (tools/seed-scale.mjs), target ≤ 60 s
//   api.dashboard.statements  statements one GET …/dashboard sends, counted by a pg-wire proxy
//                             between API and PostgreSQL (session lookup, BEGIN, set_config, COMMIT
//                             included), with 10 and with 1,000 organisations: ≤ 8 and equal
//   api.score.ratio / .p99    GET …/assessments/{id}/score vs bare node:http + pg replaying the
//                             statements captured from the API, 16 connections: ≥ 0.6, p99 ≤ 2× the
//                             baseline's in the same run (issue 26: relative targets for the ordinary path)
//   api.write.ratio / .p99    PUT …/answers/{q} with If-Match (conditional UPDATE + audit append) vs
//                             the same statements on raw pg, 8 connections: ≥ 0.5, p99 ≤ 2× the baseline's
//   api.dashboard.ratio / .p95  GET …/dashboard for random organisations of 1,000 vs the same replay,
//                             16 connections: ≥ 0.6, p95 ≤ 2× the baseline's
// The absolute p99 / p95 are reported with each figure's note, no longer gated on their own.
// R2: the server under test (API or baseline) runs on CPU 0; this process (the load generator) and
// PostgreSQL on CPU 1 (taskset; when unavailable the table's notes say "not pinned").
import { createHash } from 'node:crypto';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { build } from '../tools/build.mjs';
import { buildIsStale } from '../tools/lib.mjs';
import { seedScale } from '../tools/seed-scale.mjs';
import { THROTTLE, postgresPids, startApi, startDatabase, withHostPort } from './db-lib.mjs';
import { AB_MAX_ROUNDS, AB_ROUND_MS, AB_ROUNDS, abRounds, busyBefore, busyNote, cpuPinning, freePort, median, spawnNode, stop, verdict, waitFor, warmUp } from './http-lib.mjs';
import { startPgProxy } from './pg-proxy.mjs';

// Captured statements as JSON: binary parameters (the session hash) become { hex }; `name` is kept
// when the API sent a named (prepared) statement, `sentWith` when it sent it in one write with the
// statement before (pipelined), and `syncedWith` when also in one batch with it (no Sync between:
// one transaction), so the baseline runs it the same way.
const plainList = (list) =>
  list.map((s, i) => ({
    sql: s.sql.replace(/\s+/g, ' ').trim(),
    params: s.params.map((p) => (Buffer.isBuffer(p) ? { hex: p.toString('hex') } : p)),
    ...(s.name ? { name: s.name } : {}),
    ...(i > 0 && list[i - 1].conn === s.conn && list[i - 1].write === s.write ? { sentWith: true } : {}),
    ...(i > 0 && list[i - 1].conn === s.conn && list[i - 1].sync === s.sync ? { syncedWith: true } : {}),
  }));
const preparedCount = (list) => list.filter((s) => s.name).length;
const cookie = (o) => ({ cookie: `hoh_session=${o.token}` });
const writeHeaders = (o, version) => ({ ...cookie(o), 'x-csrf-token': o.csrfToken, 'if-match': `"${version}"` });
const dashboardPath = (o) => `/api/v1/orgs/${o.orgId}/dashboard`;
const scorePath = (o) => `/api/v1/orgs/${o.orgId}/assessments/${o.latestId}/score`;
const answerPath = (o, q) => `/api/v1/orgs/${o.orgId}/assessments/${o.latestId}/answers/${q}`;

async function call(base, path, init = {}) {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return { res, body: text ? JSON.parse(text) : null };
}

/**
 * Statements one request sends: the fewest over `tries` sequential sends, so a background poll, a
 * session's sliding-expiry touch (once a minute) or a due audit anchor cannot become part of it.
 */
async function fewestStatements(proxy, send, tries) {
  let best = null;
  for (let i = 0; i < tries; i++) {
    proxy.clear();
    await send();
    await new Promise((r) => setTimeout(r, 20));
    const seen = plainList(proxy.statements);
    if (!best || seen.length < best.length) best = seen;
  }
  return best;
}

async function statementsOf(proxy, base, path, headers) {
  await call(base, path, { headers }); // a first call may refresh the session's sliding expiry
  return fewestStatements(proxy, () => call(base, path, { headers }), 5);
}

/** One answered question per organisation's latest assessment and its current version. */
async function writableAnswers(ownerUrl, orgs) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT DISTINCT ON (organisation_id) organisation_id, question_id, version FROM answers
       WHERE (organisation_id, assessment_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
       ORDER BY organisation_id, question_id`,
      [orgs.map((o) => o.orgId), orgs.map((o) => o.latestId)],
    );
    const byOrg = new Map(rows.map((r) => [r.organisation_id, r]));
    return orgs.map((o) => ({ org: o, questionId: byOrg.get(o.orgId).question_id, version: byOrg.get(o.orgId).version }));
  } finally {
    await client.end();
  }
}

/** A write load: each connection owns one answer and carries its new ETag forward. */
function writeLoad(base, targets, durationMs) {
  return {
    url: base,
    connections: targets.length,
    durationMs,
    request: (c) => {
      const t = targets[c];
      t.flip = !t.flip;
      return { method: 'PUT', path: answerPath(t.org, t.questionId), headers: writeHeaders(t.org, t.version), body: { value: t.flip ? 3 : 2, justification: 'Benchmark write.' } };
    },
    onResponse: (c, res) => {
      const etag = /"(\d+)"/.exec(res.headers.etag ?? '')?.[1];
      if (etag) targets[c].version = Number(etag);
    },
  };
}

export async function run(ctx) {
  if (buildIsStale() && (await build()) !== 0) throw new Error('the production build failed');
  ctx.log(`throttling limits for this run: ${JSON.stringify(THROTTLE)} (benches use seeded sessions; no route measured here is throttled)`);
  const db = await startDatabase(ctx);
  const pinning = cpuPinning();
  const children = [];
  let proxy = null;
  const entries = [];
  try {
    // 1. Ten organisations, the API behind the counting proxy.
    const first = await seedScale(db.ownerUrl, { organisations: 10, offset: 0 });
    proxy = await startPgProxy({ host: db.host, port: db.port });
    const counted = await startApi(ctx, { ownerUrl: withHostPort(db.ownerUrl, '127.0.0.1', proxy.port), appPassword: db.appPassword });
    children.push(counted);
    const o0 = first.orgs[0];
    const dash10 = await statementsOf(proxy, counted.base, dashboardPath(o0), cookie(o0));
    const scoreStatements = await statementsOf(proxy, counted.base, scorePath(o0), cookie(o0));
    const [w0] = await writableAnswers(db.ownerUrl, [o0]);
    // The second write is the one captured: an organisation's first audited write also signs an
    // anchor of its chain (then at most once a minute), which the replay would otherwise repeat each time.
    const putAnswer = (version) =>
      call(counted.base, answerPath(o0, w0.questionId), {
        method: 'PUT',
        headers: { ...writeHeaders(o0, version), 'content-type': 'application/json' },
        body: JSON.stringify({ value: 3, justification: 'Benchmark write.' }),
      });
    let { body: written } = await putAnswer(w0.version);
    const writeStatements = await fewestStatements(proxy, async () => ({ body: written } = await putAnswer(written.version)), 3);

    // 2. Up to 1,000 organisations; count again for the first and for one of the new ones.
    const rest = await seedScale(db.ownerUrl, { organisations: 990, offset: 10 });
    const seedSeconds = first.seconds + rest.seconds;
    const orgs = [...first.orgs, ...rest.orgs];
    const dash1000 = await statementsOf(proxy, counted.base, dashboardPath(orgs[500]), cookie(orgs[500]));
    await counted.stop();
    await proxy.close();
    proxy = null;
    ctx.log(`seeded ${orgs.length} organisations in ${seedSeconds.toFixed(1)} s`);
    ctx.log(`dashboard statements (10 orgs): ${dash10.length}\n    ${dash10.map((s) => s.sql.slice(0, 140)).join('\n    ')}`);
    ctx.log(`score statements: ${scoreStatements.length} (${preparedCount(scoreStatements)} prepared); write statements: ${writeStatements.length} (${preparedCount(writeStatements)} prepared); dashboard: ${preparedCount(dash10)} prepared`);
    entries.push({ id: 'seed.1000orgs.s', value: seedSeconds, unit: 's', target: '≤ 60', pass: seedSeconds <= 60 });
    const stmtOk = dash10.length <= 8 && dash10.length === dash1000.length;
    entries.push({
      id: 'api.dashboard.statements',
      value: dash1000.length,
      unit: 'statements',
      baseline: dash10.length,
      ratio: dash1000.length / dash10.length,
      target: '≤ 8, equal for 10 and 1,000 orgs',
      pass: stmtOk,
      note: `counted by a pg-wire proxy (each simple Query and each Bind, so a prepared statement counts every run): ${dash10.length} with 10 organisations, ${dash1000.length} with 1,000`,
    });

    // 3. The measured API (direct to PostgreSQL) and the bare node:http + pg replay, each on CPU 0.
    const api = await startApi(ctx, { ownerUrl: db.ownerUrl, appPassword: db.appPassword, cpu: pinning.SERVER_CPU });
    children.push(api);
    const specFile = join(mkdtempSync(join(tmpdir(), 'hoh-bench-spec-')), 'spec.json');
    writeFileSync(
      specFile,
      JSON.stringify({
        appUrl: db.appUrl,
        captured: { orgId: o0.orgId, userId: o0.userId, assessmentId: o0.latestId, questionId: w0.questionId, tokenHash: createHash('sha256').update(o0.token).digest('hex') },
        score: scoreStatements,
        write: writeStatements,
        dashboard: dash10,
      }),
    );
    const barePort = await freePort();
    const bareChild = spawnNode([join(ctx.root, 'bench/bare-pg-server.mjs')], { SPEC: specFile, ROOT: ctx.root, PORT: String(barePort) }, { cpu: pinning.SERVER_CPU });
    children.push({ stop: () => stop(bareChild) });
    const bare = `http://127.0.0.1:${barePort}`;
    await waitFor(`${bare}/live`, bareChild);
    // The baseline must read what the API reads: its replay of the captured statements (first on a
    // connection that has not parsed them, then batched) returns the assessment's input row. A
    // replay whose tenant setting did not reach its read would return no rows, and cost next to nothing.
    for (let i = 0; i < 12; i++) {
      const { body } = await call(bare, scorePath(orgs[20]), { headers: cookie(orgs[20]) });
      if (!Array.isArray(body) || body.length !== 1 || body[0].id !== orgs[20].latestId) {
        throw new Error(`the node:http + pg baseline's score replay returned ${JSON.stringify(body).slice(0, 200)}, not the assessment's input row`);
      }
    }
    // And the dashboard replay returns the organisation's overview row (its name), not an empty read.
    for (let i = 0; i < 4; i++) {
      const { body } = await call(bare, dashboardPath(orgs[30]), { headers: cookie(orgs[30]) });
      if (!Array.isArray(body) || body.length !== 1 || typeof body[0].name !== 'string' || !body[0].latest_input) {
        throw new Error(`the node:http + pg baseline's dashboard replay returned ${JSON.stringify(body).slice(0, 200)}, not the organisation's overview row`);
      }
    }
    pinning.pinGenerator();
    pinning.pinProcesses(await postgresPids(db.ownerUrl));
    ctx.log(pinning.note);

    // Score reads: 16 connections, each on its own organisation's latest assessment.
    const scoreLoad = (base, from) => ({ url: base, connections: 16, durationMs: AB_ROUND_MS, request: (c) => ({ path: scorePath(orgs[from + c]), headers: cookie(orgs[from + c]) }) });
    // The busy check first, then warm-up straight into the rounds: a minute idle in between lets
    // V8 shrink its heap again, and the first round then measured that.
    let busy = await busyBefore(ctx);
    await warmed(ctx, 'score: api', scoreLoad(api.base, 20));
    await warmed(ctx, 'score: node:http+pg', scoreLoad(bare, 20));
    const score = await abRounds({ rounds: AB_ROUNDS, maxRounds: AB_MAX_ROUNDS, a: { name: 'api', pid: api.child.pid, load: scoreLoad(api.base, 20) }, b: { name: 'node:http+pg', pid: bareChild.pid, load: scoreLoad(bare, 20) }, log: ctx.log });
    entries.push(...figures('api.score', score, { ratioTarget: 0.6, busy, pinning }));

    // Answer writes: 8 connections, each writing its own answer (API and baseline on different organisations).
    const apiTargets = await writableAnswers(db.ownerUrl, orgs.slice(100, 108));
    const bareTargets = await writableAnswers(db.ownerUrl, orgs.slice(200, 208));
    busy = await busyBefore(ctx);
    await warmed(ctx, 'write: api', writeLoad(api.base, apiTargets, 0));
    await warmed(ctx, 'write: node:http+pg', writeLoad(bare, bareTargets, 0));
    const write = await abRounds({
      rounds: AB_ROUNDS,
      maxRounds: AB_MAX_ROUNDS,
      a: { name: 'api', pid: api.child.pid, load: writeLoad(api.base, apiTargets, AB_ROUND_MS) },
      b: { name: 'node:http+pg', pid: bareChild.pid, load: writeLoad(bare, bareTargets, AB_ROUND_MS) },
      log: ctx.log,
    });
    entries.push(...figures('api.write', write, { ratioTarget: 0.5, busy, pinning }));

    // Dashboard: random organisations out of 1,000, 16 connections, against the same replay.
    const pick = () => orgs[Math.floor(Math.random() * orgs.length)];
    const dashLoad = (base) => ({ url: base, connections: 16, durationMs: AB_ROUND_MS, request: () => { const o = pick(); return { path: dashboardPath(o), headers: cookie(o) }; } });
    busy = await busyBefore(ctx);
    await warmed(ctx, 'dashboard: api', dashLoad(api.base));
    await warmed(ctx, 'dashboard: node:http+pg', dashLoad(bare));
    const dash = await abRounds({ rounds: AB_ROUNDS, maxRounds: AB_MAX_ROUNDS, a: { name: 'api', pid: api.child.pid, load: dashLoad(api.base) }, b: { name: 'node:http+pg', pid: bareChild.pid, load: dashLoad(bare) }, log: ctx.log });
    entries.push(...figures('api.dashboard', dash, { ratioTarget: 0.6, tail: 'p95', busy, pinning }));
    return entries;
  } finally {
    pinning.release();
    for (const c of children.reverse()) await c.stop();
    await proxy?.close();
    await db.stop();
  }
}

async function warmed(ctx, name, load) {
  const w = await warmUp(load);
  ctx.log(`warm-up ${name}: ${(w.ms / 1000).toFixed(0)} s, last window ${w.rps.toFixed(0)} req/s`);
}

const notesOf = (busy, pinning) => [pinning.note, ...(busy ? [busyNote()] : [])].join('; ');

/** Throughput ratio, the tail (p99, or p95) against 2× the baseline's in the same rounds, and CPU per request. */
function figures(prefix, rounds, { ratioTarget, tail = 'p99', busy, pinning }) {
  const ratio = median(rounds.ratios);
  const apiTail = median(rounds.a.map((x) => x[tail]));
  const bareTail = median(rounds.b.map((x) => x[tail]));
  const apiCpu = median(rounds.a.map((x) => x.cpuUs));
  const bareCpu = median(rounds.b.map((x) => x.cpuUs));
  const note = notesOf(busy, pinning);
  return [
    { id: `${prefix}.ratio`, value: median(rounds.a.map((x) => x.rps)), unit: 'req/s', baseline: median(rounds.b.map((x) => x.rps)), ratio, target: `≥ ${ratioTarget}`, pass: verdict(ratio >= ratioTarget, busy), note },
    { id: `${prefix}.${tail}`, value: apiTail, unit: 'ms', baseline: bareTail, ratio: apiTail / bareTail, target: '≤ 2× baseline', pass: verdict(apiTail <= 2 * bareTail, busy), note },
    { id: `${prefix}.cpu_us`, value: apiCpu, unit: 'CPU-µs/req', baseline: bareCpu, ratio: apiCpu / bareCpu, target: null, pass: null },
  ];
}
