// evidence.upload.ratio.{fs,s3}: 20 MiB PDFs uploaded through the production API (multipart, content
// sniffing, quota, SHA-256, AES-256-GCM, the store's put, the evidence row and its audit entry)
// against a bare script in this process doing the same file work — sniff with the product's
// sniffer, SHA-256, AES-256-GCM, PutObject (S3) or write + fsync + rename (filesystem) — to the
// same store in the same run (issue 29, "Speed": throughput ratio >= 0.5). The S3 store is s3rver
// in its own process. Rounds interleave API and bare, per README.md "Benchmarks"; each bare step's
// share of the time is reported so a regression can be placed. A loaded machine is inconclusive.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

import { startApi, startDatabase } from './db-lib.mjs';
import { busyBefore, busyNote, freePort, median, spawnNode, stop, verdict } from './http-lib.mjs';

const FILE_BYTES = 20 * 1024 * 1024 - 64 * 1024;
const ROUNDS = 3;
const FILES_PER_ROUND = 3;
const TARGET_RATIO = 0.5;
const BUCKET = 'hoh-bench-evidence';
const PASSWORD = 'correct horse battery staple 42';

/** A valid one-page PDF whose content stream is `size` bytes of incompressible noise (a scan-like export). */
function bigPdf(size) {
  const parts = [];
  const offsets = [];
  let length = 0;
  const add = (s) => {
    const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
    parts.push(b);
    length += b.length;
  };
  const obj = (n, body) => {
    offsets[n] = length;
    add(`${n} 0 obj\n${body}\nendobj\n`);
  };
  add('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>');
  offsets[4] = length;
  add(`4 0 obj\n<< /Length ${size} /Filter /FlateDecode >>\nstream\n`);
  add(randomBytes(size));
  add('\nendstream\nendobj\n');
  const xref = length;
  const rows = [1, 2, 3, 4].map((n) => `${String(offsets[n]).padStart(10, '0')} 00000 n \n`).join('');
  add(`xref\n0 5\n0000000000 65535 f \n${rows}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}

/** Each upload a different file (a few bytes of the noise changed), so no store can shortcut a repeat. */
function variant(pdf, i) {
  const copy = Buffer.from(pdf);
  copy.writeUInt32LE(i * 2654435761 >>> 0, 4096);
  return copy;
}

async function startS3rver(ctx) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hoh-bench-s3-'));
  const script = `import S3rver from 's3rver'; await new S3rver({ address: '127.0.0.1', port: ${port}, silent: true, directory: process.env.S3_DIR, configureBuckets: [{ name: '${BUCKET}' }] }).run();`;
  const child = spawnNode(['--input-type=module', '-e', script], { S3_DIR: dir }, { cwd: ctx.root });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${endpoint}/${BUCKET}`);
      break;
    } catch {
      if (i > 150 || child.exitCode !== null) throw new Error('s3rver did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { endpoint, stop: async () => { await stop(child); rmSync(dir, { recursive: true, force: true }); } };
}

async function signUp(base) {
  const res = await fetch(`${base}/api/v1/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench uploader', email: `upload-${randomBytes(6).toString('hex')}@bench.example`, password: PASSWORD, organisationName: 'Upload bench' }),
  });
  if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const me = await res.json();
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hoh_session='))?.split(';')[0];
  return { cookie, csrf: me.csrfToken, orgId: me.memberships[0].organisationId };
}

export async function run(ctx) {
  const { sniffEvidence, DEFAULT_SNIFF_LIMITS } = await import(pathToFileURL(join(ctx.root, 'apps/api/dist/apps/api/src/modules/evidence/content-sniffer.js')).href);
  const pdf = bigPdf(FILE_BYTES);
  const mib = pdf.length / (1024 * 1024);
  ctx.log(`${mib.toFixed(2)} MiB PDF; ${ROUNDS} rounds of ${FILES_PER_ROUND} uploads per side per store`);
  const db = await startDatabase(ctx);
  const s3 = await startS3rver(ctx);
  const entries = [];
  let counter = 0;
  try {
    for (const store of ['fs', 's3']) {
      const storageDir = mkdtempSync(join(tmpdir(), 'hoh-bench-objects-'));
      const storeEnv =
        store === 's3'
          ? { STORAGE_BACKEND: 's3', S3_ENDPOINT: s3.endpoint, S3_BUCKET: BUCKET, S3_FORCE_PATH_STYLE: 'true', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' }
          : { STORAGE_BACKEND: 'filesystem', STORAGE_DIR: storageDir };
      // startApi passes this process's environment on; the store and limits are set for the API's start only.
      const extra = { ...storeEnv, EVIDENCE_MAX_BYTES: String(21 * 1024 * 1024), EVIDENCE_QUOTA_BYTES: String(1024 ** 4), JOBS_WORKER: 'false', REPORT_WORKER: 'false' };
      const saved = Object.fromEntries(Object.keys(extra).map((k) => [k, process.env[k]]));
      Object.assign(process.env, extra);
      let api;
      try {
        api = await startApi(ctx, { ownerUrl: db.ownerUrl, appPassword: db.appPassword });
      } finally {
        for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      const client = store === 's3'
        ? new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' })
        : null;
      try {
        const user = await signUp(api.base);
        const dataKey = randomBytes(32);
        const steps = { sniff: 0, sha256: 0, encrypt: 0, put: 0 };
        // The multipart body is built up front as one buffer, so the client's own encoding (undici's
        // FormData streams in small chunks) is not counted against the API.
        const boundary = `----hoh-bench-${randomBytes(8).toString('hex')}`;
        const field = (name, value) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
        const multipart = (bytes) =>
          Buffer.concat([
            Buffer.from(`${field('title', 'Bench scan')}${field('kind', 'policy')}${field('issuedAt', '2026-01-15T00:00:00Z')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
            bytes,
            Buffer.from(`\r\n--${boundary}--\r\n`),
          ]);
        // A new connection per upload (agent: false): no keep-alive socket the server may have closed
        // between rounds, and a connect is nothing beside 20 MiB.
        const viaApi = (body) =>
          new Promise((resolve, reject) => {
            const req = httpRequest(
              `${api.base}/api/v1/orgs/${user.orgId}/evidence`,
              {
                method: 'POST',
                agent: false,
                headers: { cookie: user.cookie, 'x-csrf-token': user.csrf, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
              },
              (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`upload answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`))));
              },
            );
            req.on('error', reject);
            req.end(body);
          });
        const bare = async (bytes) => {
          let t = performance.now();
          const lap = (step) => {
            const now = performance.now();
            steps[step] += now - t;
            t = now;
          };
          if (!sniffEvidence(bytes, 'scan.pdf', DEFAULT_SNIFF_LIMITS).ok) throw new Error('the bench PDF was refused by the sniffer');
          lap('sniff');
          const sha = createHash('sha256').update(bytes).digest('hex');
          lap('sha256');
          const iv = randomBytes(12);
          const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
          cipher.setAAD(Buffer.from(sha));
          const object = Buffer.concat([Buffer.from('hoe1'), iv, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
          lap('encrypt');
          const key = `b/${createHash('sha256').update(sha).digest('hex')}`;
          if (client) {
            await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: object, ContentLength: object.length }));
          } else {
            const dir = join(storageDir, 'b', key.slice(2, 4));
            mkdirSync(dir, { recursive: true });
            const file = join(dir, key.slice(2));
            const handle = await open(`${file}.tmp`, 'w', 0o600);
            await handle.writeFile(object);
            await handle.sync();
            await handle.close();
            await rename(`${file}.tmp`, file);
          }
          lap('put');
        };
        const timeFiles = async (fn) => {
          const inputs = Array.from({ length: FILES_PER_ROUND }, () => (fn === viaApi ? multipart(variant(pdf, ++counter)) : variant(pdf, ++counter)));
          const t0 = performance.now();
          for (const input of inputs) await fn(input);
          return (FILES_PER_ROUND * mib) / ((performance.now() - t0) / 1000);
        };
        // Warm-up: one of each (JIT, the organisation's storage keys, connections).
        await viaApi(multipart(variant(pdf, ++counter)));
        await bare(variant(pdf, ++counter));
        for (const k of Object.keys(steps)) steps[k] = 0;
        const busy = await busyBefore(ctx);
        const apiRates = [];
        const bareRates = [];
        const ratios = [];
        for (let round = 0; round < ROUNDS; round++) {
          // Alternate which side goes first, so neither always inherits the other's garbage and page cache.
          const [a, b] = round % 2 === 0 ? [await timeFiles(viaApi), await timeFiles(bare)] : [null, await timeFiles(bare)];
          const apiRate = a ?? (await timeFiles(viaApi));
          apiRates.push(apiRate);
          bareRates.push(b);
          ratios.push(apiRate / b);
          ctx.log(`${store} round ${round + 1}: API ${apiRate.toFixed(1)} MiB/s, bare ${b.toFixed(1)} MiB/s, ratio ${(apiRate / b).toFixed(2)}`);
        }
        const total = Object.values(steps).reduce((x, y) => x + y, 0);
        const shares = Object.entries(steps).map(([k, v]) => `${k} ${((100 * v) / total).toFixed(0)}%`).join(', ');
        const ratio = median(ratios);
        const apiMs = (mib / median(apiRates)) * 1000;
        const bareMs = (mib / median(bareRates)) * 1000;
        ctx.log(`${store}: bare steps ${shares}; per file API ${apiMs.toFixed(0)} ms vs bare ${bareMs.toFixed(0)} ms`);
        entries.push(
          {
            id: `evidence.upload.ratio.${store}`,
            value: ratio,
            unit: 'x',
            target: `>= ${TARGET_RATIO}`,
            pass: verdict(ratio >= TARGET_RATIO, busy),
            note: `API throughput / bare script's, ${mib.toFixed(0)} MiB PDFs, median of ${ROUNDS} interleaved rounds of ${FILES_PER_ROUND}; per file API ${apiMs.toFixed(0)} ms, bare ${bareMs.toFixed(0)} ms (${shares}); the rest of the API's time is multipart parsing, the quota lock, the row, the audit entry and HTTP${busy ? `; ${busyNote()}` : ''}`,
          },
          { id: `evidence.upload.api.${store}`, value: median(apiRates), unit: 'MiB/s' },
          { id: `evidence.upload.bare.${store}`, value: median(bareRates), unit: 'MiB/s' },
        );
      } finally {
        client?.destroy();
        await api.stop();
        rmSync(storageDir, { recursive: true, force: true });
      }
    }
  } finally {
    await s3.stop();
    await db.stop();
  }
  return entries;
}
