import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { canonicalJson } from '@hoh/question-bank';

/** Where the key that signs audit anchors is held (reported by verify as `anchorKey.source`). */
export type AnchorKeySource = 'database' | 'environment' | 'file';

/** A key that signs anchors and checks them: Ed25519 over the canonical JSON of the statement. */
export interface AnchorKey {
  source: AnchorKeySource;
  /** The first 16 hex of the SHA-256 of the raw public key (as the report key's keyId). */
  keyId: string;
  sign(statement: unknown): string;
  verify(statement: unknown, signature: string): boolean;
}

export const keyIdOf = (publicKey: KeyObject): string =>
  createHash('sha256').update(Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')).digest('hex').slice(0, 16);

/** An anchor key around an Ed25519 private key held in this process. */
export function anchorKeyFrom(privateKey: KeyObject, source: AnchorKeySource): AnchorKey {
  const publicKey = createPublicKey(privateKey);
  return {
    source,
    keyId: keyIdOf(publicKey),
    sign: (statement) => sign(null, Buffer.from(canonicalJson(statement), 'utf8'), privateKey).toString('base64url'),
    verify: (statement, signature) => verify(null, Buffer.from(canonicalJson(statement), 'utf8'), publicKey, Buffer.from(signature, 'base64url')),
  };
}

/**
 * The anchor-signing key held outside the database, from AUDIT_ANCHOR_KEY: the PEM itself (literal
 * `\n` allowed) or the path of a file holding it; null when unset. A superuser can rewrite the audit
 * chain, and with a key kept in the database also sign new anchors for it; a key the database never
 * sees closes that (docs/SECURITY.md, attacker model). A KMS would plug in here: return an AnchorKey
 * whose sign() calls the KMS (verify needs only the public key), and make anchoring await it.
 */
export function outsideAnchorKey(setting: string | undefined): AnchorKey | null {
  if (!setting) return null;
  const inline = setting.includes('PRIVATE KEY');
  let pem: string;
  if (inline) {
    pem = setting.replace(/\\n/g, '\n');
  } else {
    try {
      pem = readFileSync(setting, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new Error(`AUDIT_ANCHOR_KEY names the file ${setting}, which this process cannot read (${code}). Point it at a readable PKCS#8 PEM file, or put the PEM itself in the variable.`);
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error(`AUDIT_ANCHOR_KEY${inline ? '' : ` (file ${setting})`} is not a readable PKCS#8 PEM private key. Create one with \`openssl genpkey -algorithm ed25519\`.`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`AUDIT_ANCHOR_KEY is a ${key.asymmetricKeyType ?? 'unknown'} key; anchors are signed with Ed25519. Create one with \`openssl genpkey -algorithm ed25519\`.`);
  }
  return anchorKeyFrom(key, inline ? 'environment' : 'file');
}
