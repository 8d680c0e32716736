// The group dashboard at scale (issue 31, docs/PRODUCT.md §16.3), on one migrated PostgreSQL with
// 1,000 organisations seeded by tools/seed-scale.mjs:
//   api.group.dashboard.statements  statements one GET /groups/{id}/dashboard sends (session lookup,
//                                   BEGIN, set_config and COMMIT included), counted by the pg-wire
//                                   proxy, for a group of 5 and a group of 50: equal (independent of
//                                   the group's size)
//   api.group.dashboard.p95         GET /groups/{id}/dashboard of the group of 50, as its owner,
//                                   16 connections, after warm-up: ≤ 50 ms
// Both groups are built through the API as people would: the group owner (an organisation owner)
// creates them and invites each organisation by id, and each organisation's own owner accepts, which
// publishes its summary.
import { build } from '../tools/build.mjs';
import { buildIsStale } from '../tools/lib.mjs';
import { seedScale } from '../tools/seed-scale.mjs';
import { startApi, startDatabase, withHostPort } from './db-lib.mjs';
import { busyBefore, busyNote, closedLoop, median, verdict, warmUp } from './http-lib.mjs';
import { startPgProxy } from './pg-proxy.mjs';

const ORGS = 1000;
const BIG = 50;
const SMALL = 5;
const TARGET_P95_MS = 50;
const ROUNDS = 3;
const ROUND_MS = 5_000;

const cookie = (o) => ({ cookie: `hoh_session=${o.token}` });
const writeHeaders = (o) => ({ ...cookie(o), 'x-csrf-token': o.csrfToken, 'content-type': 'application/json' });

async function call(base, path, init = {}) {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** A group of `members` (the first of which is the group owner's own organisation), built through the API. */
async function buildGroup(base, owner, members, name) {
  const group = await call(base, '/api/v1/groups', { method: 'POST', headers: writeHeaders(owner), body: JSON.stringify({ name }) });
  for (const o of members) {
    await call(base, `/api/v1/groups/${group.id}/invitations`, { method: 'POST', headers: writeHeaders(owner), body: JSON.stringify({ organisationId: o.orgId }) });
    await call(base, `/api/v1/orgs/${o.orgId}/groups/${group.id}/accept`, { method: 'POST', headers: writeHeaders(o), body: '{}' });
  }
  return group.id;
}

/** Statements one request sends: the fewest of 5 sequential sends (a session's sliding-expiry touch is not part of it). */
async function statementsOf(proxy, base, path, headers) {
  await call(base, path, { headers });
  let best = null;
  for (let i = 0; i < 5; i++) {
    proxy.clear();
    await call(base, path, { headers });
    await new Promise((r) => setTimeout(r, 20));
    const seen = proxy.statements.map((s) => s.sql.replace(/\s+/g, ' ').trim());
    if (!best || seen.length < best.length) best = seen;
  }
  return best;
}

export async function run(ctx) {
  if (buildIsStale() && (await build()) !== 0) throw new Error('the production build failed');
  const db = await startDatabase(ctx);
  let proxy = null;
  const children = [];
  try {
    const seeded = await seedScale(db.ownerUrl, { organisations: ORGS, offset: 0 });
    ctx.log(`seeded ${seeded.orgs.length} organisations in ${seeded.seconds.toFixed(1)} s`);
    const owner = seeded.orgs[0];

    proxy = await startPgProxy({ host: db.host, port: db.port });
    const counted = await startApi(ctx, { ownerUrl: withHostPort(db.ownerUrl, '127.0.0.1', proxy.port), appPassword: db.appPassword });
    children.push(counted);
    const building = performance.now();
    const big = await buildGroup(counted.base, owner, seeded.orgs.slice(0, BIG), `Bench group of ${BIG}`);
    const small = await buildGroup(counted.base, owner, seeded.orgs.slice(BIG, BIG + SMALL), `Bench group of ${SMALL}`);
    ctx.log(`built groups of ${BIG} and ${SMALL} through the API in ${((performance.now() - building) / 1000).toFixed(1)} s`);
    const path = (id) => `/api/v1/groups/${id}/dashboard`;
    const check = await call(counted.base, path(big), { headers: cookie(owner) });
    if (check.organisations.length !== BIG) throw new Error(`the group dashboard shows ${check.organisations.length} organisations, expected ${BIG}`);
    const inBig = await statementsOf(proxy, counted.base, path(big), cookie(owner));
    const inSmall = await statementsOf(proxy, counted.base, path(small), cookie(owner));
    ctx.log(`group dashboard statements (group of ${BIG}): ${inBig.length}\n    ${inBig.map((s) => s.slice(0, 140)).join('\n    ')}`);
    await counted.stop();
    children.pop();
    await proxy.close();
    proxy = null;

    const api = await startApi(ctx, { ownerUrl: db.ownerUrl, appPassword: db.appPassword });
    children.push(api);
    const load = { url: api.base, connections: 16, durationMs: ROUND_MS, request: () => ({ path: path(big), headers: cookie(owner) }) };
    const busy = await busyBefore(ctx);
    const warm = await warmUp(load);
    ctx.log(`warm-up: ${(warm.ms / 1000).toFixed(0)} s, last window ${warm.rps.toFixed(0)} req/s`);
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r = await closedLoop(load);
      if (r.errors > 0) throw new Error(`group dashboard load: ${r.errors} errors, e.g. ${r.errorSamples.join('; ')}`);
      rounds.push(r);
      ctx.log(`round ${i + 1}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s`);
    }
    const p95 = median(rounds.map((r) => r.p95));
    return [
      {
        id: 'api.group.dashboard.statements',
        value: inBig.length,
        unit: 'statements',
        baseline: null,
        ratio: null,
        target: `= with ${SMALL} members`,
        pass: inBig.length === inSmall.length,
        note: `counted by a pg-wire proxy: ${inBig.length} for a group of ${BIG}, ${inSmall.length} for a group of ${SMALL} (${ORGS} organisations in the database)`,
      },
      {
        id: 'api.group.dashboard.p95',
        value: p95,
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: `<= ${TARGET_P95_MS}`,
        pass: verdict(p95 <= TARGET_P95_MS, busy),
        note: `group of ${BIG} of ${ORGS} organisations, its owner, 16 connections, median p95 of ${ROUNDS} rounds of ${ROUND_MS / 1000} s (${rounds.map((r) => r.p95.toFixed(1)).join(', ')} ms; p50 ${median(rounds.map((r) => r.p50)).toFixed(1)} ms, ${median(rounds.map((r) => r.rps)).toFixed(0)} req/s)${busy ? `; ${busyNote()}` : ''}`,
      },
    ];
  } finally {
    for (const c of children.reverse()) await c.stop();
    await proxy?.close();
    await db.stop();
  }
}
