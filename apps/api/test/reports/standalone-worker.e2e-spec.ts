import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { type MeResponse, type Report } from '@hoh/contracts';

import { repoRoot } from '../../src/config/repo-root.js';
import { embeddedDataDir } from '../../src/database/embedded-postgres.js';
import { ProfileFactory } from '../factories/profile.factory.js';
import { SignUpFactory } from '../factories/user.factory.js';
import getPort from 'get-port';

/**
 * The standalone report worker (dist/worker.js) beside an API that does not render
 * (REPORT_WORKER=false), both on the embedded PostgreSQL `npm start` runs: reports wait in the queue
 * until the worker runs, the worker renders them, and on SIGTERM it finishes the report in hand and
 * leaves the rest queued for the next worker — never one stuck half-rendered.
 */
const root = repoRoot();
const dist = join(root, 'apps/api/dist/apps/api/src');

interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function node(script: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [join(dist, script)], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, out: () => out, exited };
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await sleep(100);
  }
}

describe('standalone report worker (dist/worker.js)', () => {
  let dataDir: string;
  let api: Proc | null = null;
  const workers: Proc[] = [];
  let port = 0;
  let pgPort = 0;
  let base = '';
  let cookie = '';
  let csrf = '';
  let orgId = '';
  let assessmentId = '';
  const env = () => ({ NODE_ENV: 'production', DATABASE_URL: '', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: 'info' });

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as unknown };
  };
  const report = async (id: string) => (await call('GET', `/api/v1/orgs/${orgId}/reports/${id}`)).body as Report;
  const issue = async () => {
    const res = await call('POST', `/api/v1/orgs/${orgId}/assessments/${assessmentId}/reports`);
    expect(res.status).toBe(202);
    return (res.body as Report).id;
  };

  beforeAll(async () => {
    // The suite runs the built entry points; build the API first (incremental: seconds when nothing changed).
    const tsc = spawnSync(resolve(root, 'node_modules/.bin/tsc'), ['-b', 'apps/api/tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`Building the API failed, so the worker test cannot run:\n${tsc.stdout}${tsc.stderr}`);
    if (!existsSync(join(dist, 'worker.js'))) throw new Error('dist/worker.js is missing after the build');
    dataDir = mkdtempSync(join(tmpdir(), 'hoh-worker-'));
    port = await getPort();
    pgPort = await getPort();
    base = `http://127.0.0.1:${port}`;
    api = node('main.js', { ...env(), PORT: String(port), DEMO_SEED: 'false', REPORT_WORKER: 'false', LOG_LEVEL: 'warn' });
    await until('the API becoming healthy', 90_000, async () => {
      if (api!.child.exitCode !== null) throw new Error(`The API exited (${api!.child.exitCode}): ${api!.out()}`);
      return (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) || undefined;
    });
    const signUp = await fetch(`${base}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SignUpFactory.new().build()),
    });
    expect(signUp.status).toBe(201);
    const me = (await signUp.json()) as MeResponse;
    cookie = signUp.headers.getSetCookie().find((c) => c.includes('hoh_session='))!.split(';')[0]!;
    csrf = me.csrfToken;
    orgId = me.memberships[0]!.organisationId;
    expect((await call('PUT', `/api/v1/orgs/${orgId}/profile`, ProfileFactory.ukFileSharing())).status).toBe(200);
    const created = await call('POST', `/api/v1/orgs/${orgId}/assessments`, { title: 'Worker review' });
    expect(created.status).toBe(201);
    assessmentId = (created.body as { id: string }).id;
  }, 300_000);

  afterAll(async () => {
    for (const p of [...workers, api]) {
      if (p && p.child.exitCode === null) {
        p.child.kill('SIGTERM');
        await Promise.race([p.exited, sleep(20_000, null, { ref: false })]);
      }
    }
    if (dataDir) {
      rmSync(embeddedDataDir(dataDir).dataDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses to start on DATABASE_URL without APP_DATABASE_PASSWORD (it would lock the APIs out of their login)', async () => {
    const w = node('worker.js', { ...env(), DATABASE_URL: 'postgres://owner:secret@127.0.0.1:1/hand_on_heart', PUBLIC_URL: 'https://hoh.example.org', APP_DATABASE_PASSWORD: '' });
    expect(await w.exited).toBe(1);
    expect(w.out()).toMatch(/set APP_DATABASE_PASSWORD to the same value/);
  }, 30_000);

  it('leaves reports queued while no worker runs; the worker renders them and names each in its log', async () => {
    const id = await issue();
    expect((await report(id)).status).toBe('queued');

    const worker = node('worker.js', env());
    workers.push(worker);
    const done = await until('the report being rendered', 60_000, async () => {
      if (worker.child.exitCode !== null) throw new Error(`The worker exited (${worker.child.exitCode}): ${worker.out()}`);
      const r = await report(id);
      return r.status === 'ready' || r.status === 'failed' ? r : undefined;
    });
    expect(done.status).toBe('ready');
    // The worker, not the API, rendered it (a report is claimed once): a woken in-process worker
    // claims within milliseconds, so an API rendering reports would have taken it during the
    // worker's seconds of boot. No timed wait is needed to show the API left it queued.
    expect(worker.out()).toContain(`Report ${id} issued`);
  }, 90_000);

  it('on SIGTERM finishes the report in hand, leaves the rest queued, exits 0; the next worker renders the rest', async () => {
    const worker = workers[0]!;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await issue());
    // Signal as soon as the worker has started on this batch.
    await until('the worker claiming a job', 30_000, async () => {
      const statuses = await Promise.all(ids.map(async (id) => (await report(id)).status));
      return statuses.some((s) => s !== 'queued') || undefined;
    });
    worker.child.kill('SIGTERM');
    expect(await Promise.race([worker.exited, sleep(30_000, 'still running', { ref: false })])).toBe(0);
    expect(worker.out()).toMatch(/SIGTERM received: finishing the report in hand/);
    const after = await Promise.all(ids.map(async (id) => (await report(id)).status));
    expect(after.filter((s) => s === 'rendering' || s === 'failed')).toEqual([]);
    expect(after.filter((s) => s === 'ready').length).toBeGreaterThanOrEqual(1);

    const next = node('worker.js', env());
    workers.push(next);
    const final = await until('every report being rendered', 90_000, async () => {
      const statuses = await Promise.all(ids.map(async (id) => (await report(id)).status));
      return statuses.every((s) => s === 'ready' || s === 'failed') ? statuses : undefined;
    });
    expect(final.every((s) => s === 'ready')).toBe(true);
  }, 180_000);
});
