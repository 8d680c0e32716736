import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { KeyProvider } from './key-provider.js';

const VERSION = 'hk1';
const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED_SHAPE = /^hk1\.(mk-[0-9a-f]{16}|[A-Za-z0-9_:-]{1,128})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]+)$/;

export interface SealedParts {
  keyId: string;
  wrappedKey: Buffer;
  iv: Buffer;
  body: Buffer;
}

/** Splits a sealed value; null when it is not one this keyring wrote. */
export function parseSealed(sealed: string): SealedParts | null {
  const m = SEALED_SHAPE.exec(sealed);
  if (!m) return null;
  return { keyId: m[1]!, wrappedKey: Buffer.from(m[2]!, 'base64url'), iv: Buffer.from(m[3]!, 'base64url'), body: Buffer.from(m[4]!, 'base64url') };
}

/**
 * The one keyring for every secret the product keeps (docs/SECURITY.md, "Mail and secrets").
 * Envelope encryption: each value gets its own random AES-256-GCM data key; the data key is wrapped
 * by the provider's active key-encryption key (MASTER_KEY, or a KMS later). A sealed value is one
 * text, `hk1.<keyId>.<wrapped data key>.<iv>.<ciphertext+tag>`, so it always records the key it
 * needs. Rotation re-wraps only the small data key and leaves the ciphertext as it is.
 *
 * `context` names where the value belongs (e.g. `outbox:<org>:<id>:link`) and is authenticated with
 * both the data and the data key: a sealed value copied to another row does not open there.
 */
export class Keyring {
  constructor(private readonly provider: KeyProvider) {}

  get activeKeyId(): string {
    return this.provider.activeKeyId;
  }

  async seal(plaintext: string | Buffer, context: string): Promise<string> {
    const dataKey = randomBytes(DATA_KEY_BYTES);
    try {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final(), cipher.getAuthTag()]);
      const { keyId, wrapped } = await this.provider.wrap(dataKey, context);
      return [VERSION, keyId, wrapped.toString('base64url'), iv.toString('base64url'), body.toString('base64url')].join('.');
    } finally {
      dataKey.fill(0);
    }
  }

  async open(sealed: string, context: string): Promise<Buffer> {
    const parts = parseSealed(sealed);
    if (!parts || parts.body.length < TAG_BYTES) throw new Error('Not a value sealed by this keyring (expected hk1.<keyId>.…)');
    const dataKey = await this.provider.unwrap(parts.keyId, parts.wrappedKey, context);
    try {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, parts.iv);
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(parts.body.subarray(parts.body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(parts.body.subarray(0, parts.body.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error('Sealed value does not authenticate for this context: it was altered or belongs elsewhere');
    }
    finally {
      dataKey.fill(0);
    }
  }

  async openText(sealed: string, context: string): Promise<string> {
    return (await this.open(sealed, context)).toString('utf8');
  }

  /** The key a sealed value needs; null for a value this keyring did not write. */
  keyIdOf(sealed: string): string | null {
    return parseSealed(sealed)?.keyId ?? null;
  }

  /**
   * The same value with its data key wrapped under the active key, or null when it already is.
   * The ciphertext is kept byte for byte: only the 32-byte data key passes through the provider.
   */
  async rewrap(sealed: string, context: string): Promise<string | null> {
    const parts = parseSealed(sealed);
    if (!parts) throw new Error('Not a value sealed by this keyring (expected hk1.<keyId>.…)');
    if (parts.keyId === this.provider.activeKeyId) return null;
    const dataKey = await this.provider.unwrap(parts.keyId, parts.wrappedKey, context);
    try {
      const { keyId, wrapped } = await this.provider.wrap(dataKey, context);
      return [VERSION, keyId, wrapped.toString('base64url'), parts.iv.toString('base64url'), parts.body.toString('base64url')].join('.');
    } finally {
      dataKey.fill(0);
    }
  }
}
