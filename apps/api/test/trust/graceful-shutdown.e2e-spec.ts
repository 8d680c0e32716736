import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { type MeResponse } from '@hoh/contracts';

import { repoRoot } from '../../src/config/repo-root.js';
import { SignUpFactory } from '../factories/user.factory.js';
import getPort from 'get-port';

/**
 * Graceful shutdown (issue 8 §5, docs/API.md §13): the production build (dist/main.js, as
 * `npm start` runs it, with its own embedded PostgreSQL) gets SIGTERM while uploads are still
 * arriving. The uploads in flight must complete with their real status (201, and stored: a restart
 * on the same data finds them), new connections are refused at once, the process exits 0 within a
 * bound, and the embedded PostgreSQL is stopped cleanly (no postmaster.pid left, port closed).
 */
const root = repoRoot();
const main = join(root, 'apps/api/dist/apps/api/src/main.js');

interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function startServer(dataDir: string, port: number, pgPort: number): Promise<Server> {
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: '',
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
      DATA_DIR: dataDir,
      DEMO_SEED: 'false',
      LOG_LEVEL: process.env['SHUTDOWN_LOG'] ?? 'warn',
      REPORT_WORKER: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal, at: Date.now() })),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The API exited with code ${child.exitCode} before it was healthy`);
    const ok = await fetch(`${base}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { child, base, exited };
    if (Date.now() > deadline) throw new Error('The API did not become healthy within 90 s');
    await sleep(250);
  }
}

/** Resolves with the response of a fresh connection (no keep-alive reuse), or the connection error's code. */
function freshGet(url: string): Promise<number | string> {
  return new Promise((done) => {
    const req = httpRequest(url, { agent: false, timeout: 3000 }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.end();
  });
}

/**
 * Resolves once a fresh connection is refused (the listener has closed), with how long that took;
 * throws past `withinMs`. Each attempt is one round trip, so this waits on the server, not a timer.
 */
async function refusedWithin(url: string, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const outcome = await freshGet(url);
    if (outcome === 'ECONNREFUSED') return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`New connections were still answered (${outcome}) ${withinMs} ms after SIGTERM`);
    await sleep(20);
  }
}

/**
 * A multipart evidence upload whose file arrives in two halves: the first once the server has taken
 * the request (its 100 Continue), the second when `finish()` is called. `arrived` resolves when the
 * first half has been handed to the connection; the response is whatever the server answers once
 * the body is complete.
 */
function slowUpload(base: string, orgId: string, cookie: string, csrf: string, title: string) {
  const boundary = `----hoh${Math.random().toString(16).slice(2)}`;
  const file = Buffer.from(`${'Moderation runbook line. '.repeat(40)}\n`.repeat(2000)); // ~2 MB of text
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = Buffer.from(
    field('title', title) +
      field('kind', 'policy') +
      field('issuedAt', '2026-01-15T00:00:00Z') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="runbook.txt"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const half = Math.floor(file.length / 2);
  let status = 0;
  let body = '';
  const req = httpRequest(`${base}/api/v1/orgs/${orgId}/evidence`, {
    method: 'POST',
    agent: false,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + file.length + tail.length),
      cookie,
      'x-csrf-token': csrf,
      // The server answers 100 Continue once its handler has the request: the event the test orders on.
      expect: '100-continue',
    },
  });
  // A connection cut by the server is an outcome to report (status = the error code), not a crash.
  const response = new Promise<{ status: number | string; body: string }>((done) => {
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status, body }));
      res.on('error', (e: NodeJS.ErrnoException) => done({ status: e.code ?? e.message, body }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ status: e.code ?? e.message, body }));
  });
  const write = (chunk: Buffer) => new Promise<void>((done, fail) => req.write(chunk, (e) => (e ? fail(e) : done())));
  const arrived = new Promise<void>((done, fail) => {
    req.on('continue', () => void write(Buffer.concat([head, file.subarray(0, half)])).then(done, fail));
    req.on('response', (res) => fail(new Error(`The server answered ${res.statusCode} before taking the body`)));
    req.on('error', fail);
  });
  arrived.catch(() => undefined); // awaited by the test; a refusal shows there and in `response`
  req.flushHeaders();
  return {
    arrived,
    response,
    finish: async () => {
      // The rest in ten slices, each after the last was taken: all of it arrives after the signal.
      const rest = file.subarray(half);
      const slice = Math.ceil(rest.length / 10);
      for (let i = 0; i < rest.length && !req.destroyed; i += slice) await write(rest.subarray(i, i + slice));
      if (!req.destroyed) req.end(tail);
    },
  };
}

describe('graceful shutdown of the production build', () => {
  let dataDir: string;
  let server: Server | null = null;

  beforeAll(() => {
    // The suite runs dist/main.js; build the API first (incremental: seconds when nothing changed).
    const tsc = spawnSync(resolve(root, 'node_modules/.bin/tsc'), ['-b', 'apps/api/tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`Building the API failed, so the shutdown test cannot run:\n${tsc.stdout}${tsc.stderr}`);
    if (!existsSync(main)) throw new Error(`${main} is missing after the build`);
    dataDir = mkdtempSync(join(tmpdir(), 'hoh-shutdown-'));
  }, 300_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await Promise.race([server.exited, sleep(20_000, null, { ref: false })]);
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('drains in-flight uploads with their real status, refuses new connections, exits 0 and stops PostgreSQL cleanly', async () => {
    const port = await getPort();
    const pgPort = await getPort();
    server = await startServer(dataDir, port, pgPort);
    const signUp = await fetch(`${server.base}/api/v1/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SignUpFactory.new().build()),
    });
    expect(signUp.status).toBe(201);
    const me = (await signUp.json()) as MeResponse;
    const cookie = signUp.headers.getSetCookie().find((c) => c.includes('hoh_session='))!.split(';')[0]!;
    const orgId = me.memberships[0]!.organisationId;

    const uploads = Array.from({ length: 3 }, (_v, i) => slowUpload(server!.base, orgId, cookie, me.csrfToken, `In flight at shutdown ${i}`));
    // Every handler has its request and the first half of its file, and is waiting for the rest.
    await Promise.all(uploads.map((u) => u.arrived));
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const refusedAfterMs = await refusedWithin(`${server.base}/api/health/live`, 3_000);
    await Promise.all(uploads.map((u) => u.finish()));
    const answers = await Promise.all(uploads.map((u) => u.response));
    const exit = await Promise.race([server.exited, sleep(20_000, null, { ref: false })]);
    const exitMs = exit ? exit.at - signalledAt : Number.POSITIVE_INFINITY;
    const postmasterLeft = existsSync(join(dataDir, 'pg', 'postmaster.pid'));
    const pgPortAfter = await freshGet(`http://127.0.0.1:${pgPort}/`);
    console.log(
      `graceful shutdown: ${answers.length} in-flight uploads → ${answers.map((a) => a.status).join(', ')}; new connections refused ${refusedAfterMs} ms after SIGTERM; exited ${exit?.code ?? 'never'} after ${exitMs} ms; postmaster.pid left: ${postmasterLeft}`,
    );

    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(10_000);
    expect(postmasterLeft).toBe(false);
    expect(pgPortAfter).toBe('ECONNREFUSED');

    // The 201s were real: a restart on the same data serves every one of them.
    server = await startServer(dataDir, port, pgPort);
    for (const answer of answers) {
      const id = (JSON.parse(answer.body) as { id: string }).id;
      const stored = await fetch(`${server.base}/api/v1/orgs/${orgId}/evidence/${id}`, { headers: { cookie } });
      expect(stored.status).toBe(200);
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toMatchObject({ code: 0 });
  }, 240_000);
});
