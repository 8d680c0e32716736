import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { keyIdOf, outsideAnchorKey } from './anchor-key.js';

describe('the anchor key held outside the database (AUDIT_ANCHOR_KEY)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hoh-anchor-key-spec-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is absent when the variable is unset', () => {
    expect(outsideAnchorKey(undefined)).toBeNull();
  });

  it('reads the PEM from the variable itself (literal \\n allowed) as source "environment", and signs what it verifies', () => {
    const key = outsideAnchorKey(pem.replace(/\n/g, '\\n'))!;
    expect(key).toMatchObject({ source: 'environment', keyId: keyIdOf(publicKey) });
    const statement = { kind: 'hoh.audit-anchor.v1', seq: 1 };
    expect(key.verify(statement, key.sign(statement))).toBe(true);
    expect(key.verify({ ...statement, seq: 2 }, key.sign(statement))).toBe(false);
  });

  it('reads a file path as source "file"', () => {
    const path = join(dir, 'anchor.pem');
    writeFileSync(path, pem);
    expect(outsideAnchorKey(path)).toMatchObject({ source: 'file', keyId: keyIdOf(publicKey) });
  });

  it('refuses at boot, saying what to do, a file it cannot read, a PEM it cannot parse and a key that is not Ed25519', () => {
    expect(() => outsideAnchorKey(join(dir, 'missing.pem'))).toThrow(/cannot read \(ENOENT\).*readable PKCS#8 PEM/);
    expect(() => outsideAnchorKey('-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----')).toThrow(/openssl genpkey -algorithm ed25519/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => outsideAnchorKey(rsa)).toThrow(/rsa key; anchors are signed with Ed25519/);
  });
});
