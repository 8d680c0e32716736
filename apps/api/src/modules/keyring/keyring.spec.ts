import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EnvError } from '../../config/env.schema.js';
import { keyIdOf, LocalKeyProvider, parseMasterKey, UnknownKeyError } from './key-provider.js';
import { Keyring, parseSealed } from './keyring.js';
import { embeddedMasterKey, localKeyProvider } from './master-key.js';

const key = () => randomBytes(32);

describe('keyring (docs/SECURITY.md, "Mail and secrets")', () => {
  it('seals and opens a value, and the sealed text records the key id it needs', async () => {
    const master = key();
    const keyring = new Keyring(new LocalKeyProvider(master));
    const sealed = await keyring.seal('/invitations/hoh_inv_secret', 'outbox:o:1:link');
    expect(sealed).not.toContain('hoh_inv_secret');
    expect(keyring.keyIdOf(sealed)).toBe(keyIdOf(master));
    expect(sealed.split('.')[1]).toBe(keyIdOf(master));
    expect(await keyring.openText(sealed, 'outbox:o:1:link')).toBe('/invitations/hoh_inv_secret');
  });

  it('gives every value its own data key, so the same text seals differently each time', async () => {
    const keyring = new Keyring(new LocalKeyProvider(key()));
    const [a, b] = [await keyring.seal('same', 'c'), await keyring.seal('same', 'c')];
    expect(a).not.toBe(b);
    expect(parseSealed(a)!.wrappedKey.equals(parseSealed(b)!.wrappedKey)).toBe(false);
  });

  it('refuses a sealed value moved to another context (row) or altered by one bit', async () => {
    const keyring = new Keyring(new LocalKeyProvider(key()));
    const sealed = await keyring.seal('link', 'outbox:o:1:link');
    await expect(keyring.open(sealed, 'outbox:o:2:link')).rejects.toThrow(/authenticate/);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0]! ^= 1;
    parts[4] = body.toString('base64url');
    await expect(keyring.open(parts.join('.'), 'outbox:o:1:link')).rejects.toThrow(/authenticate/);
    await expect(keyring.open('plain text', 'outbox:o:1:link')).rejects.toThrow(/Not a value sealed/);
  });

  it('rotation re-wraps the data key under the new active key and keeps the ciphertext; the old key can then go', async () => {
    const [oldKey, newKey] = [key(), key()];
    const sealed = await new Keyring(new LocalKeyProvider(oldKey)).seal('secret', 'ctx');
    const rotating = new Keyring(new LocalKeyProvider(newKey, [oldKey]));
    expect(await rotating.openText(sealed, 'ctx')).toBe('secret');
    const rewrapped = (await rotating.rewrap(sealed, 'ctx'))!;
    expect(rotating.keyIdOf(rewrapped)).toBe(keyIdOf(newKey));
    expect(parseSealed(rewrapped)!.body.equals(parseSealed(sealed)!.body)).toBe(true);
    expect(await rotating.rewrap(rewrapped, 'ctx')).toBeNull();
    const retired = new Keyring(new LocalKeyProvider(newKey));
    expect(await retired.openText(rewrapped, 'ctx')).toBe('secret');
    await expect(retired.open(sealed, 'ctx')).rejects.toBeInstanceOf(UnknownKeyError);
  });

  it('reads MASTER_KEY as base64 or hex of exactly 32 bytes and says how to make one otherwise', () => {
    const raw = key();
    expect(parseMasterKey(raw.toString('base64')).equals(raw)).toBe(true);
    expect(parseMasterKey(raw.toString('hex')).equals(raw)).toBe(true);
    expect(() => parseMasterKey('too short')).toThrow(/openssl rand -base64 32/);
    expect(() => parseMasterKey(randomBytes(16).toString('base64'))).toThrow(/32 random bytes/);
  });

  it('generates the embedded key once into the data folder, private, and every later start reads the same', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hoh-key-')), 'secrets', 'master-key');
    const first = embeddedMasterKey(file);
    expect(embeddedMasterKey(file).equals(first)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseMasterKey(readFileSync(file, 'utf8')).equals(first)).toBe(true);
  });

  it('requires MASTER_KEY with DATABASE_URL (a generated key would differ on every machine)', () => {
    expect(() => localKeyProvider({ DATABASE_URL: 'postgres://h/db', DATA_DIR: '.data', MASTER_KEY: undefined, MASTER_KEY_PREVIOUS: undefined })).toThrow(EnvError);
    const raw = key();
    const provider = localKeyProvider({ DATABASE_URL: 'postgres://h/db', DATA_DIR: '.data', MASTER_KEY: raw.toString('base64'), MASTER_KEY_PREVIOUS: `${key().toString('hex')}, ` });
    expect(provider.activeKeyId).toBe(keyIdOf(raw));
  });
});
