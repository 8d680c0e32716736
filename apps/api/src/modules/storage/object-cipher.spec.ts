import { randomBytes } from 'node:crypto';

import { decryptObject, encryptObject, OBJECT_MAGIC, ObjectIntegrityError, objectAad, objectName } from './object-cipher.js';

const ORG_A = '00000000-0000-4000-8000-00000000000a';
const ORG_B = '00000000-0000-4000-8000-00000000000b';
const SHA = 'ab'.repeat(32);

describe('evidence objects at rest (docs/PRODUCT.md §6.6)', () => {
  it('round-trips a file and starts every object with the format header, never the file\'s own', () => {
    const key = randomBytes(32);
    const plaintext = Buffer.from('%PDF-1.7 board policy');
    const object = encryptObject(key, objectAad(ORG_A, SHA), plaintext);
    expect(object.subarray(0, 4).equals(OBJECT_MAGIC)).toBe(true);
    expect(object.includes(Buffer.from('%PDF'))).toBe(false);
    expect(decryptObject(key, objectAad(ORG_A, SHA), object).equals(plaintext)).toBe(true);
  });

  it('uses a fresh nonce per object, so the same file encrypts differently each time', () => {
    const key = randomBytes(32);
    const a = encryptObject(key, objectAad(ORG_A, SHA), Buffer.from('same'));
    const b = encryptObject(key, objectAad(ORG_A, SHA), Buffer.from('same'));
    expect(a.equals(b)).toBe(false);
  });

  it('refuses an object bound to another organisation or another file, altered by one bit, or truncated', () => {
    const key = randomBytes(32);
    const object = encryptObject(key, objectAad(ORG_A, SHA), Buffer.from('evidence'));
    expect(() => decryptObject(key, objectAad(ORG_B, SHA), object)).toThrow(ObjectIntegrityError);
    expect(() => decryptObject(key, objectAad(ORG_A, 'cd'.repeat(32)), object)).toThrow(/does not authenticate/);
    const flipped = Buffer.from(object);
    flipped[20]! ^= 1;
    expect(() => decryptObject(key, objectAad(ORG_A, SHA), flipped)).toThrow(/does not authenticate/);
    expect(() => decryptObject(key, objectAad(ORG_A, SHA), object.subarray(0, 10))).toThrow(/truncated/);
    expect(() => decryptObject(randomBytes(32), objectAad(ORG_A, SHA), object)).toThrow(ObjectIntegrityError);
  });

  it('names an object by an HMAC of its hash under the organisation\'s key: the same file has unrelated names in two organisations', () => {
    const [keyA, keyB] = [randomBytes(32), randomBytes(32)];
    expect(objectName(keyA, SHA)).toMatch(/^e\/[0-9a-f]{64}$/);
    expect(objectName(keyA, SHA)).toBe(objectName(keyA, SHA));
    expect(objectName(keyA, SHA)).not.toBe(objectName(keyB, SHA));
    expect(objectName(keyA, SHA)).not.toContain(SHA);
  });
});
