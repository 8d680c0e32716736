import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { RECOVERY_CODE_COUNT } from '@hoh/contracts';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const CODE_LENGTH = 20;

/**
 * One recovery code: 20 base32 characters (100 random bits), printed in groups of five. Each byte
 * picks one of 32 characters by its low 5 bits: 256 is a multiple of 32, so every character is
 * equally likely.
 */
export function newRecoveryCode(): string {
  const chars = [...randomBytes(CODE_LENGTH)].map((b) => ALPHABET[b & 31]).join('');
  return chars.replace(/(.{5})(?=.)/g, '$1-');
}

/**
 * SHA-256 of the code as RecoveryCodeSchema normalises it (no dashes or spaces, lowercase). Not argon2:
 * a slow hash protects secrets people choose; these carry 100 random bits, so a stolen table gives
 * nothing to guess faster, and a fast hash lets one indexed statement find and use a code.
 */
export const recoveryCodeHash = (normalised: string) => createHash('sha256').update(normalised).digest();

/** Ten one-time codes per person (docs/PRODUCT.md §2.7); only their hashes are kept. */
@Injectable()
export class RecoveryCodesService {
  constructor(private readonly dataSource: DataSource) {}

  /** Replaces every code the person had with ten new ones, answered this once. */
  async regenerate(manager: Pick<EntityManager, 'query'>, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await manager.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
    await manager.query(
      'INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, h FROM unnest($2::bytea[]) AS h',
      [userId, codes.map((c) => recoveryCodeHash(c.replace(/-/g, '')))],
    );
    return codes;
  }

  /** Uses `normalised` up if it is one of the person's unused codes; one statement, so two uses racing cannot both succeed. */
  async use(userId: string, normalised: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `WITH used AS (UPDATE recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING 1) SELECT 1 FROM used`,
      [userId, recoveryCodeHash(normalised)],
    );
    return rows.length > 0;
  }

  async left(userId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
    return row?.n ?? 0;
  }

  async remove(manager: Pick<EntityManager, 'query'>, userId: string): Promise<void> {
    await manager.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
  }
}
