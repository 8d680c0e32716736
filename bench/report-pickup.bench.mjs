// reports.pickup.p50: how long a queued report waits before a worker picks it up, from the commit of
// the transaction that queued it to the start of the worker's claim (reports.claimed_at, PostgreSQL's
// clock; the commit instant is taken just before COMMIT is sent, on the same machine, so the figure
// includes the commit itself). The queueing connection is not the worker's process, as with an API
// replica queueing for a standalone worker: only the NOTIFY sent in that transaction can wake it
// (the worker's safety poll runs every 30 s). One standalone worker (apps/api/dist/…/worker.js),
// rounds one job at a time after a warm-up job (which loads the PDF renderer), so no job waits
// behind another's render. Target ≤ 100 ms (issue 28).
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import pg from 'pg';

import { API_NODE_FLAGS } from '../tools/lib.mjs';
import { startDatabase } from './db-lib.mjs';
import { busyBefore, busyNote, stop, verdict } from './http-lib.mjs';

const ROUNDS = 21;
const TARGET_MS = 100;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, ms, probe) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(2);
  }
}

export async function run(ctx) {
  const db = await startDatabase(ctx);
  const owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  const dataDir = mkdtempSync(join(tmpdir(), 'hoh-bench-pickup-'));
  chmodSync(dataDir, 0o755);
  let worker = null;
  try {
    const org = randomUUID();
    const user = randomUUID();
    const assessment = randomUUID();
    await owner.query(`INSERT INTO users (id, email, name, password_hash) VALUES ($1, 'bench-pickup@example.org', 'Bench', 'x')`, [user]);
    await owner.query(`INSERT INTO organisations (organisation_id, name) VALUES ($1, 'Pickup bench')`, [org]);
    await owner.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [org, user]);
    const { getCurrentFramework } = await import(pathToFileURL(join(ctx.root, 'libs/question-bank/dist/src/index.js')).href);
    const framework = getCurrentFramework();
    await owner.query(`INSERT INTO assessments (organisation_id, id, title, framework_id, framework_version, created_by) VALUES ($1, $2, 'Bench review', $3, $4, $5)`, [
      org,
      assessment,
      framework.id,
      framework.version,
      user,
    ]);

    worker = spawn(process.execPath, [...API_NODE_FLAGS, join(ctx.root, 'apps/api/dist/apps/api/src/worker.js')], {
      cwd: ctx.root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: db.ownerUrl,
        PUBLIC_URL: 'http://127.0.0.1',
        APP_DATABASE_PASSWORD: db.appPassword,
        DATA_DIR: dataDir,
        DEMO_SEED: 'false',
        LOG_LEVEL: 'warn',
        // The keyring's key, required with DATABASE_URL (docs/SECURITY.md, "Mail and secrets").
        MASTER_KEY: process.env.MASTER_KEY ?? randomBytes(32).toString('base64'),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await until('the worker to LISTEN', 90_000, async () => {
      if (worker.exitCode !== null) throw new Error(`the worker exited (${worker.exitCode}) during boot`);
      const { rows } = await owner.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'hoh-report-listener' AND query ILIKE 'LISTEN%'`);
      return rows.length > 0 ? true : undefined;
    });

    const queueOne = async () => {
      const id = randomUUID();
      await owner.query('BEGIN');
      await owner.query(`INSERT INTO reports (organisation_id, id, assessment_id, draft, requested_by) VALUES ($1, $2, $3, true, $4)`, [org, id, assessment, user]);
      const committing = Date.now();
      await owner.query('COMMIT');
      const claimedAt = await until(`report ${id} to be claimed`, 60_000, async () => {
        const { rows } = await owner.query(`SELECT claimed_at FROM reports WHERE id = $1 AND claimed_at IS NOT NULL`, [id]);
        return rows[0]?.claimed_at;
      });
      const status = await until(`report ${id} to finish`, 120_000, async () => {
        const { rows } = await owner.query(`SELECT status FROM reports WHERE id = $1 AND status IN ('ready', 'failed')`, [id]);
        return rows[0]?.status;
      });
      return { ms: claimedAt.getTime() - committing, status };
    };

    const warm = await queueOne(); // loads the PDF renderer; not counted
    const busy = await busyBefore(ctx);
    const samples = [];
    const statuses = new Set([warm.status]);
    for (let i = 0; i < ROUNDS; i++) {
      const { ms, status } = await queueOne();
      samples.push(ms);
      statuses.add(status);
    }
    const p50 = median(samples);
    const sorted = [...samples].sort((a, b) => a - b);
    ctx.log(`pickup ms: ${sorted.join(', ')}`);
    return [
      {
        id: 'reports.pickup.p50',
        value: p50,
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: `<= ${TARGET_MS}`,
        pass: verdict(p50 <= TARGET_MS && !statuses.has('failed'), busy),
        note: `commit of the queueing transaction → the standalone worker's claim, woken by NOTIFY (safety poll 30 s); median of ${ROUNDS} after a warm-up job; min ${sorted[0]} ms, max ${sorted[sorted.length - 1]} ms; reports ${[...statuses].join('/')}${busy ? `; ${busyNote()}` : ''}`,
      },
    ];
  } finally {
    await stop(worker);
    await owner.end().catch(() => undefined);
    await db.stop();
  }
}
