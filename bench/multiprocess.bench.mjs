// More than one process (issue 9 item 4; docs/SCALING.md §1 and §2): ONE PostgreSQL (embedded, or
// DATABASE_URL), TWO API processes with REPORT_WORKER=false and ONE standalone report worker
// (apps/api/dist/apps/api/src/worker.js), all three booted at the same moment (migrations race for
// the advisory lock). Then:
//   - shared-state checks: a session made on API 1 is valid on API 2, its CSRF token works there,
//     signing out on API 2 ends it on API 1, failed sign-ins are counted across both APIs (the
//     throttle is not per process), both APIs publish the same report signing key;
//   - closed-loop load on both APIs at once: reads (score, dashboard, assessment), answer writes
//     (If-Match, one question per connection) and report issues;
//   - every report issued through either API is rendered by the worker process (its log names each
//     report; the APIs cannot render: REPORT_WORKER=false) and verifies by hash through the other API.
// Entries: scale.multiprocess.errors (target 0), .rps, .cpu_us, .reports, .shared_state.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { API_NODE_FLAGS } from '../tools/lib.mjs';
import { BUSY_LOAD, closedLoop, cpuTicks, freePort, median, stop, waitFor } from './http-lib.mjs';

const LOAD_MS = 20_000;
const CONNECTIONS_PER_API = 8;
const ORGS = 4;
const MAX_REPORTS = 40;
const REPORT_EVERY = 25; // one report issue per this many requests of a connection
const PASSWORD = 'correct horse battery staple 42';
// Explicit for the run (printed): sign-in per account stays low so the cross-process throttle check
// can see it; everything the load touches is far above what it sends.
const THROTTLE = {
  THROTTLE_SIGN_IN_PER_ACCOUNT: '3',
  THROTTLE_SIGN_IN_PER_IP: '100000',
  THROTTLE_SIGN_UP_PER_IP: '100000',
  REPORT_VERIFY_PER_IP: '100000',
};

/** A signed-in browser: the session cookie plus the CSRF token from /me. */
class Client {
  constructor(base) {
    this.base = base;
    this.cookie = '';
    this.csrf = '';
  }
  at(base) {
    const c = new Client(base);
    c.cookie = this.cookie;
    c.csrf = this.csrf;
    return c;
  }
  async req(method, path, body, headers = {}) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie().find((c) => c.includes('hoh_session='));
    if (set) this.cookie = set.split(';')[0];
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (json?.csrfToken) this.csrf = json.csrfToken;
    return { status: res.status, json, text, etag: res.headers.get('etag') };
  }
}

/**
 * Closed loop over both APIs at once (http-lib's closedLoop, one base URL per connection); each
 * connection runs `t.next()` → { method, path, headers, body, expect, done } with its own session.
 */
function load(targets, ms) {
  const specs = [];
  return closedLoop({
    url: targets.map((t) => t.base),
    connections: targets.length,
    durationMs: ms,
    request: (c) => {
      const t = targets[c];
      const spec = (specs[c] = t.next());
      const headers = { cookie: t.cookie, ...(spec.method !== 'GET' ? { 'x-csrf-token': t.csrf } : {}), ...spec.headers };
      return { method: spec.method, path: spec.path, body: spec.body, expect: spec.expect, headers };
    },
    onResponse: (c, res, text) => {
      if (res.statusCode !== specs[c].expect) return;
      targets[c].api.count++;
      specs[c].done?.(res, text);
    },
  });
}

export async function run(ctx) {
  const dist = join(ctx.root, 'apps/api/dist/apps/api/src');
  // Only the API is needed here; an incremental tsc build in place (never deletes the web build others serve).
  execFileSync(process.execPath, [join(ctx.root, 'node_modules/typescript/bin/tsc'), '-b', 'apps/api/tsconfig.build.json'], {
    cwd: ctx.root,
    stdio: 'inherit',
  });
  const { defaultProfile } = await import(pathToFileURL(join(ctx.root, 'libs/question-bank/dist/src/index.js')).href);
  const profile = defaultProfile({ services: ['file_storage_sharing', 'user_to_user'], ukMonthlyUsers: 1_200_000, publicContent: true, jurisdictions: ['UK', 'EU'] });
  const dataDir = mkdtempSync(join(tmpdir(), 'hoh-bench-multi-'));
  chmodSync(dataDir, 0o755); // reachable by the postgres user when running as root; the secrets folder inside stays 0700
  let embedded = null;
  let ownerUrl = process.env.DATABASE_URL;
  const appPassword = process.env.APP_DATABASE_PASSWORD ?? randomBytes(18).toString('base64url');
  if (!ownerUrl) {
    const { startEmbeddedPostgres } = await import(pathToFileURL(join(dist, 'database/embedded-postgres.js')).href);
    embedded = await startEmbeddedPostgres(dataDir, await freePort(), { info: () => undefined, warn: (m) => ctx.log(m) });
    ownerUrl = embedded.ownerUrl;
  }
  ctx.log(`one PostgreSQL (${embedded ? 'embedded' : 'DATABASE_URL'}), two APIs with REPORT_WORKER=false, one worker; throttling for this run: ${JSON.stringify(THROTTLE)}`);

  const shared = {
    ...process.env,
    ...THROTTLE,
    NODE_ENV: 'production',
    DATABASE_URL: ownerUrl,
    PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://127.0.0.1', // required with DATABASE_URL
    MASTER_KEY: process.env.MASTER_KEY ?? Buffer.alloc(32, 7).toString('base64'), // required with DATABASE_URL, the same in every process
    APP_DATABASE_PASSWORD: appPassword,
    DATA_DIR: dataDir,
    DEMO_SEED: 'false',
  };
  const ports = [await freePort(), await freePort()];
  const apis = ports.map((port) =>
    spawn(process.execPath, [...API_NODE_FLAGS, join(dist, 'main.js')], {
      cwd: ctx.root,
      env: { ...shared, PORT: String(port), REPORT_WORKER: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const worker = spawn(process.execPath, [...API_NODE_FLAGS, join(dist, 'worker.js')], {
    cwd: ctx.root,
    env: { ...shared, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let workerLog = '';
  worker.stdout.on('data', (c) => (workerLog += c.toString('utf8')));

  const failures = [];
  let checksTotal = 0;
  const check = (ok, what) => {
    checksTotal++;
    if (!ok) failures.push(what);
    return ok;
  };
  try {
    const bases = ports.map((p) => `http://127.0.0.1:${p}`);
    const booting = Date.now();
    await Promise.all(apis.map((api, i) => waitFor(`${bases[i]}/api/health`, api)));
    ctx.log(`both APIs healthy ${Date.now() - booting} ms after a simultaneous start`);
    const workerReady = Date.now() + 60_000;
    while (!workerLog.includes('is polling for report jobs')) {
      if (worker.exitCode !== null) throw new Error(`the worker exited (${worker.exitCode}) during boot`);
      if (Date.now() > workerReady) throw new Error('the worker did not report ready within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }

    // --- shared-state checks ---------------------------------------------------------------
    const orgs = [];
    for (let i = 0; i < ORGS; i++) {
      const c = new Client(bases[i % 2]);
      const email = `multi-${i}-${Date.now()}@bench.example`;
      const up = await c.req('POST', '/api/v1/auth/sign-up', { name: `Bench ${i}`, email, password: PASSWORD, organisationName: `Bench org ${i}` });
      if (up.status !== 201 && up.status !== 200) throw new Error(`sign-up answered ${up.status}: ${up.text.slice(0, 200)}`);
      const orgId = up.json.memberships[0].organisationId;
      orgs.push({ client: c, email, orgId, userId: up.json.user.id });
    }
    const first = orgs[0];
    const onOther = first.client.at(bases[1]); // made on API 1, used on API 2
    const me = await onOther.req('GET', '/api/v1/auth/me');
    check(me.status === 200 && me.json?.user?.id === first.userId, `a session made on API 1 is valid on API 2 (got ${me.status})`);
    const noCsrf = await fetch(`${bases[1]}/api/v1/orgs/${first.orgId}/assessments`, {
      method: 'POST',
      headers: { cookie: onOther.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'no csrf' }),
    });
    check(noCsrf.status === 403, `a write without the CSRF token is refused on API 2 (got ${noCsrf.status})`);

    for (const [i, o] of orgs.entries()) {
      // Each organisation's setup alternates between the APIs: the state must not care.
      const c = o.client.at(bases[(i + 1) % 2]);
      const put = await c.req('PUT', `/api/v1/orgs/${o.orgId}/profile`, profile);
      check(put.status === 200, `profile saved through the other API (got ${put.status} ${put.text.slice(0, 120)})`);
      const created = await c.req('POST', `/api/v1/orgs/${o.orgId}/assessments`, { title: 'Scale review' });
      check(created.status === 201, `CSRF token from API 1 works on API 2: create assessment (got ${created.status} ${created.text.slice(0, 120)})`);
      o.assessmentId = created.json?.id;
      const applicability = await o.client.req('GET', `/api/v1/orgs/${o.orgId}/applicability`);
      o.questions = (applicability.json?.items ?? []).filter((q) => q.applicable).map((q) => q.questionId);
      if (o.questions.length < CONNECTIONS_PER_API) throw new Error(`the assessment lists only ${o.questions.length} questions`);
    }

    const keys = await Promise.all(bases.map((b) => fetch(`${b}/api/v1/reports/public-key`).then((r) => r.json())));
    check(keys[0].keyId === keys[1].keyId, `both APIs publish the same signing key (${keys[0].keyId} vs ${keys[1].keyId})`);

    // Failed sign-ins alternate between the APIs; per-process counters would allow 2 × the limit.
    const victim = orgs[1].email;
    const limit = Number(THROTTLE.THROTTLE_SIGN_IN_PER_ACCOUNT);
    const statuses = [];
    for (let k = 0; k <= limit; k++) {
      const r = await new Client(bases[k % 2]).req('POST', '/api/v1/auth/sign-in', { email: victim, password: 'wrong password, wrong' });
      statuses.push(r.status);
    }
    check(statuses.at(-1) === 429, `failed sign-ins are counted across both APIs: attempt ${limit + 1} is 429 (got ${statuses.join(',')})`);

    // Sign-out on API 2 ends the session on API 1.
    const throwaway = new Client(bases[0]);
    const t = await throwaway.req('POST', '/api/v1/auth/sign-in', { email: orgs[2].email, password: PASSWORD });
    check(t.status === 200, `sign-in on API 1 (got ${t.status})`);
    const out = await throwaway.at(bases[1]).req('POST', '/api/v1/auth/sign-out');
    check(out.status === 204 || out.status === 200, `sign-out on API 2 (got ${out.status})`);
    const after = await throwaway.req('GET', '/api/v1/auth/me');
    check(after.status === 401, `after sign-out on API 2 the session is gone on API 1 (got ${after.status})`);

    // --- load on both APIs at once ----------------------------------------------------------
    // First write of each connection's question, so the loop's writes all carry If-Match.
    const targets = [];
    for (let a = 0; a < 2; a++) {
      for (let k = 0; k < CONNECTIONS_PER_API; k++) {
        const o = orgs[(a * CONNECTIONS_PER_API + k) % ORGS];
        const q = o.questions[Math.floor((a * CONNECTIONS_PER_API + k) / ORGS)];
        const w = await o.client.at(bases[a]).req('PUT', `/api/v1/orgs/${o.orgId}/assessments/${o.assessmentId}/answers/${q}`, { value: 1 }, { 'if-none-match': '*' });
        if (w.status !== 200) throw new Error(`first answer write answered ${w.status}: ${w.text.slice(0, 200)}`);
        targets.push({ base: bases[a], o, q, etag: w.etag, n: 0, api: null, cookie: o.client.cookie, csrf: o.client.csrf });
      }
    }
    const apiStats = bases.map(() => ({ count: 0 }));
    const issued = [];
    for (const [i, t] of targets.entries()) {
      t.api = apiStats[i < CONNECTIONS_PER_API ? 0 : 1];
      const prefix = `/api/v1/orgs/${t.o.orgId}`;
      const assessment = `${prefix}/assessments/${t.o.assessmentId}`;
      t.next = () => {
        const n = t.n++;
        if (n % REPORT_EVERY === REPORT_EVERY - 1 && issued.length < MAX_REPORTS) {
          issued.push(null); // reserve, so the cap holds across connections
          const slot = issued.length - 1;
          return { method: 'POST', path: `${assessment}/reports`, expect: 202, done: (_res, text) => (issued[slot] = { id: JSON.parse(text).id, t }) };
        }
        switch (n % 5) {
          case 0:
            return { method: 'GET', path: `${assessment}/score`, expect: 200 };
          case 1:
            return { method: 'GET', path: `${prefix}/dashboard`, expect: 200 };
          case 2:
            return { method: 'GET', path: assessment, expect: 200 };
          default:
            return {
              method: 'PUT',
              path: `${assessment}/answers/${t.q}`,
              headers: { 'if-match': t.etag },
              body: { value: n % 2 === 0 ? 3 : 2 },
              expect: 200,
              done: (res) => (t.etag = res.headers.etag),
            };
        }
      };
    }
    const busy = ctx.loadAverage() > BUSY_LOAD;
    const c0 = apis.map((a) => cpuTicks(a.pid));
    const w0 = cpuTicks(worker.pid);
    const result = await load(targets, LOAD_MS);
    const cpuUs = apis.map((a, i) => ((cpuTicks(a.pid) - c0[i]) * 10_000) / Math.max(apiStats[i].count, 1));
    const rps = result.count / result.seconds;
    ctx.log(
      `load ${LOAD_MS / 1000} s, ${targets.length} connections: ${rps.toFixed(0)} req/s in all (API 1 ${(apiStats[0].count / result.seconds).toFixed(0)}, API 2 ${(apiStats[1].count / result.seconds).toFixed(0)}), ` +
        `p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.errors} errors; CPU-µs/req API 1 ${cpuUs[0].toFixed(0)}, API 2 ${cpuUs[1].toFixed(0)}`,
    );
    for (const s of result.errorSamples) ctx.log(`error: ${s}`);

    // --- every report rendered by the worker ------------------------------------------------
    const reports = issued.filter(Boolean);
    const deadline = Date.now() + 120_000;
    const final = new Map();
    while (final.size < reports.length && Date.now() < deadline) {
      for (const r of reports) {
        if (final.has(r.id)) continue;
        // Read back through the API that did NOT issue it.
        const other = r.t.base === bases[0] ? bases[1] : bases[0];
        const got = await r.t.o.client.at(other).req('GET', `/api/v1/orgs/${r.t.o.orgId}/reports/${r.id}`);
        if (got.json?.status === 'ready' || got.json?.status === 'failed') final.set(r.id, { ...got.json, other });
      }
      if (final.size < reports.length) await new Promise((r) => setTimeout(r, 250));
    }
    const workerCpuMs = (cpuTicks(worker.pid) - w0) * 10;
    const ready = [...final.values()].filter((r) => r.status === 'ready');
    const byWorker = ready.filter((r) => workerLog.includes(`Report ${r.id} issued`));
    check(ready.length === reports.length, `${reports.length - ready.length} of ${reports.length} reports not ready within 120 s`);
    check(byWorker.length === ready.length, `${ready.length - byWorker.length} ready reports missing from the worker's log`);
    check(ready.every((r) => r.keyId === keys[0].keyId), 'every report is signed with the key both APIs publish');
    let verified = 0;
    for (const r of ready.slice(0, 5)) {
      const v = await fetch(`${r.other}/api/v1/reports/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sha256: r.pdfSha256 }) }).then((x) => x.json());
      if (v.genuine && v.reportId === r.id) verified++;
    }
    check(verified === Math.min(5, ready.length), `reports verify by hash through the other API (${verified} of ${Math.min(5, ready.length)})`);
    ctx.log(`reports: ${reports.length} issued through both APIs, ${byWorker.length} rendered by worker pid ${worker.pid} (${workerCpuMs} ms worker CPU), ${verified} verified by hash across APIs`);
    for (const f of failures) ctx.log(`FAILED: ${f}`);

    const errors = result.errors + (apis.some((a) => a.exitCode !== null) || worker.exitCode !== null ? 1 : 0);
    return [
      { id: 'scale.multiprocess.errors', value: errors, unit: 'errors', target: '0', pass: errors === 0, note: result.errorSamples.length ? result.errorSamples.join(' | ') : undefined },
      {
        id: 'scale.multiprocess.rps',
        value: rps,
        unit: 'req/s',
        target: null,
        pass: null,
        note: `2 APIs × ${CONNECTIONS_PER_API} connections, mix 2/5 writes, 3/5 reads, reports 1 in ${REPORT_EVERY}; p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms${busy ? `; 1-minute load above ${BUSY_LOAD} before the run` : ''}`,
      },
      { id: 'scale.multiprocess.cpu_us', value: median(cpuUs), unit: 'CPU-µs/req', target: null, pass: null, note: `per API: ${cpuUs.map((c) => c.toFixed(0)).join(', ')}` },
      {
        id: 'scale.multiprocess.reports',
        value: byWorker.length,
        unit: 'reports',
        baseline: reports.length,
        target: 'all issued, rendered by the worker',
        pass: reports.length > 0 && byWorker.length === reports.length,
      },
      {
        id: 'scale.multiprocess.shared_state',
        value: checksTotal - failures.length,
        unit: 'checks',
        baseline: checksTotal,
        target: 'all',
        pass: failures.length === 0,
        ...(failures.length ? { note: failures.join('; ') } : {}),
      },
    ];
  } finally {
    await Promise.all([...apis, worker].map(stop));
    await embedded?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (embedded) rmSync(embedded.dataDir, { recursive: true, force: true });
  }
}
