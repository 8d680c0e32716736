import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { DataSource } from 'typeorm';

import { EvidenceResponseSchema } from '@hoh/contracts';

import { runAsMember } from '../../src/database/tenant-context.js';
import { EvidenceContentMover } from '../../src/modules/evidence/evidence-content-mover.js';
import { EvidenceRepository } from '../../src/modules/evidence/evidence.repository.js';
import { keyIdOf, LocalKeyProvider } from '../../src/modules/keyring/key-provider.js';
import { Keyring } from '../../src/modules/keyring/keyring.js';
import { type BlobStore, FilesystemBlobStore, type LazyS3BlobStore } from '../../src/modules/storage/blob-store.js';
import { BLOB_STORE, EncryptedObjects } from '../../src/modules/storage/encrypted-objects.js';
import { StorageKeys, storageMember } from '../../src/modules/storage/storage-keys.js';
import { buildDocx, buildRealPdf } from '../factories/evidence-files.factory.js';
import { memberWithRole, upload } from '../factories/evidence.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const binary = (res: { on: (e: string, cb: (c?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const BUCKET = 'hoh-evidence-test';
const masterKey = randomBytes(32);

/** Every object in a store, by name: the direct look an operator (or an attacker with the bucket) gets. */
async function allObjects(store: BlobStore): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (store instanceof FilesystemBlobStore) {
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else out.set(path.slice(store.root.length + 1), readFileSync(path));
      }
    };
    try {
      walk(store.root);
    } catch {
      // No object yet: the folder is made by the first put.
    }
    return out;
  }
  const s3 = await (store as LazyS3BlobStore).s3();
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  for (const { Key } of listed.Contents ?? []) {
    const got = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: Key! }));
    out.set(Key!, Buffer.from(await got.Body!.transformToByteArray()));
  }
  return out;
}

/** Overwrites one object in place, as someone with write access to the bucket could. */
async function overwrite(store: BlobStore, key: string, body: Buffer): Promise<void> {
  if (store instanceof FilesystemBlobStore) {
    writeFileSync(join(store.root, key), body);
    return;
  }
  await (await (store as LazyS3BlobStore).s3()).client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

let s3rver: S3rver;
let s3Endpoint: string;
const s3Dir = mkdtempSync(join(tmpdir(), 'hoh-s3rver-'));

beforeAll(async () => {
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await s3rver.run();
  s3Endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await s3rver.close();
  rmSync(s3Dir, { recursive: true, force: true });
});

describe.each([
  ['filesystem', () => ({})],
  ['s3 (s3rver)', () => ({ STORAGE_BACKEND: 's3', S3_ENDPOINT: s3Endpoint, S3_BUCKET: BUCKET, S3_FORCE_PATH_STYLE: 'true', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' })],
] as const)('evidence in the %s store, encrypted at rest (docs/PRODUCT.md §6.6)', (_name, storeEnv) => {
  let t: TestApp;
  let store: BlobStore;
  let owner: SignedInUser;
  let assessor: SignedInUser;
  let org: string;
  let otherOwner: SignedInUser;
  let otherOrg: string;
  let pdf: Buffer;
  let pdfId: string;

  const download = (user: SignedInUser, orgId: string, id: string) => as(t, user).get(`/api/v1/orgs/${orgId}/evidence/${id}/content`).buffer(true).parse(binary);
  const locationOf = async (id: string) => (await t.ownerQuery<{ object_key: string }>('SELECT object_key FROM evidence_objects WHERE evidence_id = $1', [id]))[0]!.object_key;

  beforeAll(async () => {
    t = await startTestApp({ MASTER_KEY: masterKey.toString('base64'), ...storeEnv() });
    store = t.app.get<symbol, BlobStore>(BLOB_STORE);
    owner = await signUp(t);
    org = orgOf(owner);
    assessor = await memberWithRole(t, org, 'assessor');
    otherOwner = await signUp(t);
    otherOrg = orgOf(otherOwner);
    pdf = await buildRealPdf();
  });
  afterAll(async () => {
    await t.close();
  });

  it('uploads, reviews (open, then accept), downloads and verifies a PDF through the store', async () => {
    const created = EvidenceResponseSchema.parse((await upload(t, owner, org, pdf, 'Policy.pdf').expect(201)).body);
    pdfId = created.id;
    expect(created.sha256).toBe(sha256(pdf));
    const opened = await download(assessor, org, pdfId).expect(200);
    expect(Buffer.compare(opened.body as Buffer, pdf)).toBe(0);
    expect(opened.headers['x-evidence-sha256']).toBe(sha256(pdf));
    const reviewed = await as(t, assessor).post(`/api/v1/orgs/${org}/evidence/${pdfId}/review`).send({ decision: 'accept' }).expect(200);
    expect(reviewed.body.status).toBe('accepted');
    const again = await download(owner, org, pdfId).expect(200);
    expect(sha256(again.body as Buffer)).toBe(created.sha256);
    expect(await t.ownerQuery('SELECT object_store FROM evidence_objects WHERE evidence_id = $1', [pdfId])).toEqual([{ object_store: store.kind }]);
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM evidence_content')).toEqual([{ n: 0 }]);
  });

  it('keeps only ciphertext in the store: no PDF or ZIP header, no plaintext, names that say nothing of ids', async () => {
    const marker = `hoh-plaintext-marker-${randomUUID()}`;
    const text = Buffer.from(`Moderation runbook\n${marker}\n`.repeat(50));
    const docx = buildDocx();
    const textId = EvidenceResponseSchema.parse((await upload(t, owner, org, text, 'runbook.txt').expect(201)).body).id;
    await upload(t, owner, org, docx, 'board.docx').expect(201);
    const objects = await allObjects(store);
    expect(objects.size).toBeGreaterThanOrEqual(3);
    for (const [name, body] of objects) {
      expect(body.subarray(0, 4).toString('latin1')).toBe('hoe1');
      expect(body.includes(Buffer.from('%PDF'))).toBe(false);
      expect(body.includes(Buffer.from('PK\x03\x04', 'latin1'))).toBe(false);
      expect(body.includes(Buffer.from(marker))).toBe(false);
      for (const id of [org, pdfId, textId, sha256(pdf), sha256(text)]) expect(name).not.toContain(id);
    }
  });

  it('names the same file differently in another organisation, and an object moved there fails to decrypt: an error, never wrong bytes', async () => {
    const mine = await locationOf(pdfId);
    const theirsId = EvidenceResponseSchema.parse((await upload(t, otherOwner, otherOrg, pdf, 'Policy.pdf').expect(201)).body).id;
    const theirs = await locationOf(theirsId);
    expect(theirs).not.toBe(mine);
    const objects = await allObjects(store);
    const fsName = (key: string) => (store instanceof FilesystemBlobStore ? [...objects.keys()].find((n) => n.endsWith(key.split('/').pop()!))! : key);
    const original = objects.get(fsName(theirs))!;
    await overwrite(store, fsName(theirs), objects.get(fsName(mine))!);
    const refused = await as(t, otherOwner).get(`/api/v1/orgs/${otherOrg}/evidence/${theirsId}/content`).expect(500);
    expect(refused.body.error.code).toBe('INTERNAL_ERROR');
    expect(refused.body.error.message).toMatch(/damaged in storage.*restore/);
    // One flipped byte in the ciphertext: the same refusal.
    const flipped = Buffer.from(original);
    flipped[40]! ^= 1;
    await overwrite(store, fsName(theirs), flipped);
    await as(t, otherOwner).get(`/api/v1/orgs/${otherOrg}/evidence/${theirsId}/content`).expect(500);
    await overwrite(store, fsName(theirs), original);
    const restored = await download(otherOwner, otherOrg, theirsId).expect(200);
    expect(Buffer.compare(restored.body as Buffer, pdf)).toBe(0);
  });

  describe('moving files written before the store out of evidence_content', () => {
    /** Rows as an older release wrote them: the bytes in evidence_content, no object. */
    const legacyRows = async (n: number) => {
      const rows: { id: string; bytes: Buffer }[] = [];
      for (let i = 0; i < n; i++) {
        const bytes = Buffer.from(`Legacy policy ${i} ${randomUUID()}\n`.repeat(20 + i));
        const id = randomUUID();
        await t.ownerQuery(
          `INSERT INTO evidence (organisation_id, id, title, kind, source, file_name, media_type, size_bytes, sha256, issued_at, uploaded_by)
           VALUES ($1, $2, $3, 'policy', 'file', 'legacy.txt', 'text/plain', $4, $5, '2026-01-15', $6)`,
          [org, id, `Legacy ${i}`, bytes.length, sha256(bytes), owner.me.user.id],
        );
        await t.ownerQuery('INSERT INTO evidence_content (organisation_id, evidence_id, bytes) VALUES ($1, $2, $3)', [org, id, bytes]);
        rows.push({ id, bytes });
      }
      return rows;
    };
    const unmoved = async () => (await t.ownerQuery<{ n: number }>('SELECT count(*)::int AS n FROM evidence_content'))[0]!.n;

    it('the request role cannot delete content, and the move function refuses a hash that does not match or another organisation\'s row', async () => {
      const [row] = await legacyRows(1);
      await expect(t.appQueryAs(org, 'DELETE FROM evidence_content WHERE evidence_id = $1', [row!.id])).rejects.toThrow(/permission denied/);
      const refused = await t.appQueryAs<{ moved: boolean }>(org, "SELECT hoh_evidence_content_moved($1, $2, $3, 'e/00', $4) AS moved", [org, row!.id, sha256(Buffer.from('other')), store.kind]);
      expect(refused).toEqual([{ moved: false }]);
      // With the right hash but from another organisation's transaction: refused too.
      const foreign = await t.appQueryAs<{ moved: boolean }>(otherOrg, "SELECT hoh_evidence_content_moved($1, $2, $3, 'e/00', $4) AS moved", [org, row!.id, sha256(row!.bytes), store.kind]);
      expect(foreign).toEqual([{ moved: false }]);
      expect(await unmoved()).toBe(1);
      const read = await download(owner, org, row!.id).expect(200);
      expect(Buffer.compare(read.body as Buffer, row!.bytes)).toBe(0);
    });

    it('moves every row while uploads and downloads go on, with zero errors, and every file reads back the same', async () => {
      const rows = [...(await legacyRows(12))];
      const mover = t.app.get(EvidenceContentMover);
      const errors: string[] = [];
      let busy = true;
      const traffic = (async () => {
        let i = 0;
        while (busy || i < 5) {
          const row = rows[i % rows.length]!;
          const got = await download(owner, org, row.id);
          if (got.status !== 200 || Buffer.compare(got.body as Buffer, row.bytes) !== 0) errors.push(`download ${row.id}: ${got.status}`);
          const up = await upload(t, owner, org, Buffer.from(`During the move ${i} ${randomUUID()}\n`), `during-${i}.txt`);
          if (up.status !== 201) errors.push(`upload ${i}: ${up.status}`);
          i++;
        }
      })();
      const run = await mover.run();
      busy = false;
      await traffic;
      expect(errors).toEqual([]);
      expect(run).toMatchObject({ skipped: 0, more: false });
      expect(run.moved).toBeGreaterThanOrEqual(12);
      expect(await unmoved()).toBe(0);
      for (const row of rows) expect(Buffer.compare((await download(owner, org, row.id).expect(200)).body as Buffer, row.bytes)).toBe(0);
    });

    it('resumes after a crash mid-batch: what moved stays moved, the rest moves on the next run, nothing is lost', async () => {
      const rows = await legacyRows(10);
      const ds = t.app.get(DataSource);
      let puts = 0;
      const crashing: BlobStore = {
        kind: store.kind,
        put: async (key, body) => {
          if (++puts > 4) throw new Error('simulated crash: the worker died mid-batch');
          await store.put(key, body);
        },
        get: (key) => store.get(key),
      };
      const keys = t.app.get(StorageKeys);
      const crashingMover = new EvidenceContentMover(ds, t.app.get(EvidenceRepository), new EncryptedObjects(crashing, keys));
      await expect(crashingMover.run()).rejects.toThrow(/not answering/);
      expect(await unmoved()).toBe(6);
      for (const row of rows) expect(Buffer.compare((await download(owner, org, row.id).expect(200)).body as Buffer, row.bytes)).toBe(0);
      const resumed = await t.app.get(EvidenceContentMover).run();
      expect(resumed).toMatchObject({ moved: 6, skipped: 0, more: false });
      expect(await unmoved()).toBe(0);
      for (const row of rows) expect(Buffer.compare((await download(owner, org, row.id).expect(200)).body as Buffer, row.bytes)).toBe(0);
    });
  });

  // Last: after it the app's own keyring (the old key only) can no longer open the re-wrapped keys.
  it('keeps objects readable after master-key rotation, which re-wraps the storage keys and rewrites no object', async () => {
    const ds = t.app.get(DataSource);
    const before = await allObjects(store);
    const newKey = randomBytes(32);
    const rotating = new StorageKeys(new Keyring(new LocalKeyProvider(newKey, [masterKey])), ds);
    expect(await rotating.rewrapPending()).toBe(2);
    expect(await rotating.rewrapPending()).toBe(0);
    expect(await t.ownerQuery('SELECT DISTINCT key_id FROM storage_keys')).toEqual([{ key_id: keyIdOf(newKey) }]);
    // The old key gone: a process holding only the new one reads the file.
    const retiredOld = new EncryptedObjects(store, new StorageKeys(new Keyring(new LocalKeyProvider(newKey)), ds));
    const location = { store: store.kind, key: await locationOf(pdfId) };
    const read = await runAsMember(ds, storageMember(org), () => retiredOld.get(location, sha256(pdf)));
    expect(Buffer.compare(read, pdf)).toBe(0);
    const after = await allObjects(store);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [name, body] of before) expect(Buffer.compare(after.get(name)!, body)).toBe(0);
  });
});
