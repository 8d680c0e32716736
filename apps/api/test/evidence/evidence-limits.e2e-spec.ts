import { buildPdf, fakeMedia } from '../factories/evidence-files.factory.js';
import { upload } from '../factories/evidence.factory.js';
import { orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('evidence: size limit and organisation quota', () => {
  let t: TestApp;
  let owner: SignedInUser;
  beforeAll(async () => {
    t = await startTestApp({ EVIDENCE_MAX_BYTES: '2048', EVIDENCE_QUOTA_BYTES: '5000' });
    owner = await signUp(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const text = (size: number) => Buffer.from('x'.repeat(size - 1) + '\n');

  it('refuses a file over EVIDENCE_MAX_BYTES with 413 PAYLOAD_TOO_LARGE, and accepts one exactly at the limit', async () => {
    const over = await upload(t, owner, orgOf(owner), text(2049), 'big.txt').expect(413);
    expect(over.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/2 KB limit/) });
    // The limit applies to any content, before sniffing: a 3 KB PDF and a 3 KB PNG alike.
    await upload(t, owner, orgOf(owner), buildPdf({ imageBytes: 3000 }), 'p.pdf').expect(413);
    await upload(t, owner, orgOf(owner), fakeMedia.png(3000), 'p.png').expect(413);
    await upload(t, owner, orgOf(owner), text(2048), 'exact.txt').expect(201);
  });

  it('refuses an upload that would take the organisation over its quota with 413 QUOTA_EXCEEDED', async () => {
    await upload(t, owner, orgOf(owner), text(2000), 'two.txt').expect(201);
    const res = await upload(t, owner, orgOf(owner), text(2000), 'three.txt').expect(413);
    expect(res.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', message: expect.stringMatching(/external reference/) });
    const rows = await t.ownerQuery<{ total: string }>(`SELECT sum(size_bytes)::text AS total FROM evidence WHERE organisation_id = $1`, [orgOf(owner)]);
    expect(Number(rows[0]!.total)).toBe(4048);
    // Another organisation has its own quota.
    const other = await signUp(t);
    await upload(t, other, orgOf(other), text(2000), 'own.txt').expect(201);
  });
});
