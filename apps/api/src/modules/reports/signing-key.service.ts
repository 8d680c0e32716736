import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { ReportPublicKey } from '@hoh/contracts';
import { canonicalJson } from '@hoh/question-bank';

import { AppConfig } from '../../config/app-config.js';

interface KeyRow {
  private_key_pem: string;
}

export interface Signed {
  signature: string;
  keyId: string;
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * The Ed25519 key that signs issued-report manifests and results exports. From REPORT_SIGNING_KEY
 * when set; otherwise generated once and kept in `report_signing_keys`, so every API process (and
 * every restart) signs with the same key and earlier signatures keep verifying.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit {
  private readonly logger = new Logger('reports');
  private privateKey: KeyObject | null = null;
  private published: ReportPublicKey | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.env.REPORT_SIGNING_KEY;
    const pem = configured ? configured.replace(/\\n/g, '\n') : await this.storedOrGenerated();
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: pem, format: 'pem' });
    } catch {
      throw new Error(
        'REPORT_SIGNING_KEY is not a readable PKCS#8 PEM private key. Create one with `openssl genpkey -algorithm ed25519` and paste the whole PEM.',
      );
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new Error(
        `REPORT_SIGNING_KEY is a ${key.asymmetricKeyType ?? 'unknown'} key; reports are signed with Ed25519. Create one with \`openssl genpkey -algorithm ed25519\`.`,
      );
    }
    this.privateKey = key;
    const publicKey = createPublicKey(key);
    const x = publicKey.export({ format: 'jwk' }).x ?? '';
    // keyId: the first 16 hex of SHA-256 over the raw 32-byte public key, so anyone can recompute it.
    const keyId = sha256Hex(Buffer.from(x, 'base64url')).slice(0, 16);
    this.published = {
      keyId,
      pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      jwk: { kty: 'OKP', crv: 'Ed25519', x, kid: keyId, alg: 'EdDSA', use: 'sig' },
    };
    if (!configured) this.logger.log(`Report signing key ${keyId} comes from the database; set REPORT_SIGNING_KEY to manage it yourself.`);
  }

  /** Race-safe across processes: the first INSERT wins, everyone re-reads the winner. */
  private async storedOrGenerated(): Promise<string> {
    const read = async () => (await this.dataSource.query<KeyRow[]>('SELECT private_key_pem FROM report_signing_keys WHERE slot = 1'))[0];
    const existing = await read();
    if (existing) return existing.private_key_pem;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const keyId = sha256Hex(Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')).slice(0, 16);
    await this.dataSource.query(
      'INSERT INTO report_signing_keys (slot, key_id, private_key_pem) VALUES (1, $1, $2) ON CONFLICT (slot) DO NOTHING',
      [keyId, pem],
    );
    const winner = await read();
    if (!winner)
      throw new Error(
        'Could not store or read the report signing key; check that migrations ran and hoh_app may INSERT into report_signing_keys.',
      );
    return winner.private_key_pem;
  }

  publicKey(): ReportPublicKey {
    if (!this.published) throw new Error('SigningKeyService used before module init');
    return this.published;
  }

  /** Ed25519 over the canonical (RFC 8785) JSON of the value, base64url. */
  sign(value: unknown): Signed {
    if (!this.privateKey) throw new Error('SigningKeyService used before module init');
    return {
      signature: sign(null, Buffer.from(canonicalJson(value), 'utf8'), this.privateKey).toString('base64url'),
      keyId: this.publicKey().keyId,
    };
  }
}
