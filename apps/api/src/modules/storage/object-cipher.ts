import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** First bytes of every stored object: format version 1 (AES-256-GCM, 96-bit nonce, 128-bit tag). */
export const OBJECT_MAGIC = Buffer.from('hoe1', 'latin1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * What an object is bound to (AES-GCM additional data): its organisation and the SHA-256 of its
 * plaintext. An object copied under another organisation's name, or swapped for another file of the
 * same organisation, fails to authenticate instead of decrypting to the wrong bytes.
 */
export const objectAad = (organisationId: string, sha256: string): Buffer => Buffer.from(`hoh-evidence-object\0${organisationId}\0${sha256}`, 'utf8');

/** The object's name: HMAC-SHA-256 of the content hash under the organisation's own name key (see encrypted-objects.ts). */
export const objectName = (nameKey: Buffer, sha256: string): string => `e/${createHmac('sha256', nameKey).update(sha256).digest('hex')}`;

/** `magic ‖ nonce ‖ ciphertext ‖ tag`, with a fresh random nonce per object. */
export function encryptObject(dataKey: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return Buffer.concat([OBJECT_MAGIC, iv, body, final, cipher.getAuthTag()]);
}

/** The plaintext, or an error when the object is not ours, altered, or bound to something else. */
export function decryptObject(dataKey: Buffer, aad: Buffer, object: Buffer): Buffer {
  if (object.length < OBJECT_MAGIC.length + IV_BYTES + TAG_BYTES || !object.subarray(0, OBJECT_MAGIC.length).equals(OBJECT_MAGIC)) {
    throw new ObjectIntegrityError('is not an encrypted evidence object (wrong header or truncated)');
  }
  const iv = object.subarray(OBJECT_MAGIC.length, OBJECT_MAGIC.length + IV_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', dataKey, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(object.subarray(object.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(object.subarray(OBJECT_MAGIC.length + IV_BYTES, object.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new ObjectIntegrityError('does not authenticate: it was altered, or belongs to another organisation or file');
  }
}

/** A stored object that cannot be trusted: never answered as content. */
export class ObjectIntegrityError extends Error {
  constructor(reason: string) {
    super(`The stored object ${reason}`);
  }
}
