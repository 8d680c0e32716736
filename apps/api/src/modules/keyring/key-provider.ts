import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Where key-encryption keys live: the local keys from MASTER_KEY today, a KMS (AWS KMS, GCP KMS,
 * Vault transit) behind the same three calls later. A provider only ever wraps and unwraps small
 * data keys; the data itself is encrypted in this process (keyring.ts), so a KMS sees no content
 * and is called once per record, not per byte.
 */
export interface KeyProvider {
  /** The key new wraps use. */
  readonly activeKeyId: string;
  /** Whether this provider can still unwrap what `keyId` wrapped (a retired key kept for rotation). */
  knows(keyId: string): boolean;
  /** Encrypts a data key under the active key; `context` is bound to it (AAD) and must be given again to unwrap. */
  wrap(dataKey: Buffer, context: string): Promise<{ keyId: string; wrapped: Buffer }>;
  unwrap(keyId: string, wrapped: Buffer, context: string): Promise<Buffer>;
}

export const MASTER_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A key's id is derived from the key (not chosen by an operator), so the same MASTER_KEY always has
 * the same id on every process and no table of names has to be kept in step. 64 bits of a domain-
 * separated SHA-256 tell keys apart and reveal nothing usable about a 256-bit key.
 */
export function keyIdOf(key: Buffer): string {
  return `mk-${createHash('sha256').update('hand-on-heart keyring id\0').update(key).digest('hex').slice(0, 16)}`;
}

/** MASTER_KEY as written in the environment: 32 bytes in base64 (`openssl rand -base64 32`) or hex. */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== MASTER_KEY_BYTES || !/^[A-Za-z0-9+/_=-]+$/.test(trimmed)) {
    throw new Error('must be 32 random bytes in base64 or hex; create one with: openssl rand -base64 32');
  }
  return key;
}

/** Key-encryption keys held in this process: AES-256-GCM wrap of each data key. */
export class LocalKeyProvider implements KeyProvider {
  readonly activeKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  /** `active` wraps everything new; `retired` keys only unwrap, until rotation has re-wrapped their records. */
  constructor(active: Buffer, retired: Buffer[] = []) {
    for (const key of [active, ...retired]) this.keys.set(keyIdOf(key), key);
    this.activeKeyId = keyIdOf(active);
  }

  knows(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  wrap(dataKey: Buffer, context: string): Promise<{ keyId: string; wrapped: Buffer }> {
    const key = this.keys.get(this.activeKeyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${this.activeKeyId}\0${context}`));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Promise.resolve({ keyId: this.activeKeyId, wrapped: Buffer.concat([iv, body, cipher.getAuthTag()]) });
  }

  unwrap(keyId: string, wrapped: Buffer, context: string): Promise<Buffer> {
    const key = this.keys.get(keyId);
    if (!key) return Promise.reject(new UnknownKeyError(keyId));
    if (wrapped.length <= IV_BYTES + TAG_BYTES) return Promise.reject(new Error('Wrapped data key is truncated'));
    const decipher = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`${keyId}\0${context}`));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
    try {
      return Promise.resolve(Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES)), decipher.final()]));
    } catch {
      return Promise.reject(new Error('Wrapped data key does not authenticate under its key and context'));
    }
  }
}

/** A record wrapped under a key this process was not given: it was retired too early, or MASTER_KEY is wrong. */
export class UnknownKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `Encrypted with key ${keyId}, which this process does not hold. Put that key back in MASTER_KEY_PREVIOUS (or MASTER_KEY) until rotation has re-wrapped every record.`,
    );
  }
}
