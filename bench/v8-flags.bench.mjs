// Do the API's V8 flags earn their place? (issue 26: "V8 flags only where a same-run A/B on the new
// path shows ≥ 15%", written in one place: API_NODE_FLAGS in tools/lib.mjs, which npm start, the
// image and the benches use; node-flags.spec.ts keeps the copies equal.)
//   v8.flags.score.gain      GET …/assessments/{id}/score throughput, API with the flags ÷ without, 16 connections
//   v8.flags.dashboard.gain  GET …/dashboard for random organisations, the same
// Both APIs run on the same migrated database (200 seeded organisations) and the same CPU, one at a
// time, in alternating rounds (abRounds). Target ≥ 1.15 on either route to keep the flags; below
// that on both, the flags go.
import { build } from '../tools/build.mjs';
import { API_NODE_FLAGS, buildIsStale } from '../tools/lib.mjs';
import { seedScale } from '../tools/seed-scale.mjs';
import { postgresPids, startApi, startDatabase } from './db-lib.mjs';
import { AB_MAX_ROUNDS, AB_ROUND_MS, AB_ROUNDS, abRounds, busyBefore, busyNote, cpuPinning, median, verdict, warmUp } from './http-lib.mjs';

const cookie = (o) => ({ cookie: `hoh_session=${o.token}` });

export async function run(ctx) {
  if (buildIsStale() && (await build()) !== 0) throw new Error('the production build failed');
  const db = await startDatabase(ctx);
  const pinning = cpuPinning();
  const children = [];
  try {
    const { orgs } = await seedScale(db.ownerUrl, { organisations: 200, offset: 0 });
    const withFlags = await startApi(ctx, { ownerUrl: db.ownerUrl, appPassword: db.appPassword, cpu: pinning.SERVER_CPU });
    children.push(withFlags);
    const without = await startApi(ctx, { ownerUrl: db.ownerUrl, appPassword: db.appPassword, cpu: pinning.SERVER_CPU, nodeFlags: [] });
    children.push(without);
    pinning.pinGenerator();
    pinning.pinProcesses(await postgresPids(db.ownerUrl));
    ctx.log(`flags under test: ${API_NODE_FLAGS.join(' ')}; ${pinning.note}`);

    const routes = [
      { id: 'score', path: (o) => `/api/v1/orgs/${o.orgId}/assessments/${o.latestId}/score`, perConnection: true },
      { id: 'dashboard', path: (o) => `/api/v1/orgs/${o.orgId}/dashboard`, perConnection: false },
    ];
    const entries = [];
    for (const route of routes) {
      const load = (base) => ({
        url: base,
        connections: 16,
        durationMs: AB_ROUND_MS,
        request: (c) => {
          const o = route.perConnection ? orgs[c] : orgs[Math.floor(Math.random() * orgs.length)];
          return { path: route.path(o), headers: cookie(o) };
        },
      });
      const busy = await busyBefore(ctx);
      await warmUp(load(withFlags.base));
      await warmUp(load(without.base));
      const rounds = await abRounds({
        rounds: AB_ROUNDS,
        maxRounds: AB_MAX_ROUNDS,
        a: { name: 'flags', pid: withFlags.child.pid, load: load(withFlags.base) },
        b: { name: 'no flags', pid: without.child.pid, load: load(without.base) },
        log: ctx.log,
      });
      const gain = median(rounds.ratios);
      entries.push({
        id: `v8.flags.${route.id}.gain`,
        value: median(rounds.a.map((x) => x.rps)),
        unit: 'req/s',
        baseline: median(rounds.b.map((x) => x.rps)),
        ratio: gain,
        target: '≥ 1.15 to keep the flags',
        pass: verdict(gain >= 1.15, busy),
        note: [`CPU-µs/req ${median(rounds.a.map((x) => x.cpuUs)).toFixed(0)} with, ${median(rounds.b.map((x) => x.cpuUs)).toFixed(0)} without`, pinning.note, ...(busy ? [busyNote()] : [])].join('; '),
      });
    }
    return entries;
  } finally {
    pinning.release();
    for (const c of children.reverse()) await c.stop();
    await db.stop();
  }
}
