import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import {
  API_TOKEN_PREFIX,
  type ApiToken,
  type ApiTokenPage,
  type ApiTokenScope,
  type CreateApiTokenRequest,
  type CreateApiTokenResponse,
  policyCovers,
  type Role,
  type SecondFactorPolicy,
} from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { decodeCursor, encodeCursor } from '../../common/keyset-cursor.js';

interface TokenRow {
  id: string;
  name: string;
  scope: ApiTokenScope;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

export interface ActiveApiToken {
  id: string;
  userId: string;
  scope: ApiTokenScope;
  /** Made by a session with a second factor: the token satisfies an owner's second-factor policy. */
  secondFactor: boolean;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest();
// Shown in lists to tell tokens apart: the fixed prefix plus 4 of the 43 random characters.
const DISPLAY_LENGTH = API_TOKEN_PREFIX.length + 4;
// last_used_at is written at most once a minute, so reads do not all become writes.
const TOUCH_AFTER = '1 minute';
const TOKEN_SHAPE = new RegExp(`^${API_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

const toApiToken = (r: TokenRow): ApiToken => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  prefix: r.prefix,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
});

/** Personal API tokens: 256 random bits behind a recognisable prefix; the table keeps only their SHA-256. */
@Injectable()
export class ApiTokenService {
  constructor(private readonly dataSource: DataSource) {}

  async create(userId: string, input: CreateApiTokenRequest, secondFactor = false): Promise<CreateApiTokenResponse> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const rows: TokenRow[] = await this.dataSource.query(
      `INSERT INTO api_tokens (user_id, name, scope, token_hash, prefix, expires_at, second_factor) VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, name, scope, prefix, created_at, expires_at, last_used_at`,
      [userId, input.name, input.scope, hashToken(token), token.slice(0, DISPLAY_LENGTH), input.expiresAt ?? null, secondFactor],
    );
    return { ...toApiToken(rows[0]!), token };
  }

  /**
   * Whether any organisation the person belongs to requires them to have a second factor
   * (docs/PRODUCT.md §2.7): then only a session signed in with one may create a token.
   */
  async secondFactorRequired(userId: string): Promise<boolean> {
    const rows = await this.dataSource.query<{ role: Role; accountable_individual: boolean; second_factor_policy: SecondFactorPolicy }[]>(
      `SELECT p.role, p.accountable_individual, p.second_factor_policy
       FROM hoh_memberships_of($1) ms CROSS JOIN LATERAL hoh_membership_of(ms.organisation_id, $1) p`,
      [userId],
    );
    return rows.some((r) => policyCovers(r.second_factor_policy, r.role, r.accountable_individual));
  }

  /** The caller's tokens that still work or have merely expired (revoked ones are gone from view). */
  async list(userId: string, limit: number, cursor: string | undefined): Promise<ApiTokenPage> {
    const after = decodeCursor(cursor);
    const rows: (TokenRow & { created_key: string })[] = await this.dataSource.query(
      `SELECT id, name, scope, prefix, created_at, created_at::text AS created_key, expires_at, last_used_at FROM api_tokens
       WHERE user_id = $1 AND revoked_at IS NULL AND ($2::timestamptz IS NULL OR (created_at, id::text) > ($2::timestamptz, $3::text))
       ORDER BY created_at, id LIMIT $4`,
      [userId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toApiToken),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_key, last.id) : null,
    };
  }

  /** Revokes one of the caller's own tokens; anyone else's, or an unknown id, is simply not found. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH revoked AS (UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id)
       SELECT id FROM revoked`,
      [tokenId, userId],
    );
    if (rows.length === 0) throw new AppError('NOT_FOUND', 'No such API token among yours. List them with GET /api/v1/auth/tokens.');
  }

  /** The token behind a bearer secret, if it is well-formed, known, unrevoked and unexpired. */
  async lookup(token: string): Promise<ActiveApiToken | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const rows: { id: string; user_id: string; scope: ApiTokenScope; second_factor: boolean; stale: boolean }[] = await this.dataSource.query(
      `SELECT id, user_id, scope, second_factor, (last_used_at IS NULL OR last_used_at < now() - interval '${TOUCH_AFTER}') AS stale FROM api_tokens
       WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [hashToken(token)],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.stale) await this.dataSource.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
    return { id: row.id, userId: row.user_id, scope: row.scope, secondFactor: row.second_factor };
  }
}
