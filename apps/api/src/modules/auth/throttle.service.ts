import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AppError } from '../../common/app-error.js';
import { AppConfig } from '../../config/app-config.js';

export interface ThrottleRule {
  bucket: string;
  limit: number;
}

interface BucketRow {
  bucket: string;
  attempts: number;
  retry_after: number;
}

// 1 in N calls also sweeps expired buckets, so the table stays small without a scheduler.
const SWEEP_ONE_IN = 200;

/**
 * Attempt counters in PostgreSQL, shared by every API process (docs/API.md §2.4).
 *
 * An attempt is counted BEFORE any password is hashed or verified, atomically, so neither a burst of
 * parallel requests nor a slow argon2 can slip past the limit, and a throttled request costs one
 * small UPDATE instead of a hash. Sign-in then gives back what succeeded: the account bucket is
 * cleared and the IP bucket refunded one, so both count failures only.
 */
@Injectable()
export class ThrottleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  get windowSeconds(): number {
    return this.config.env.THROTTLE_WINDOW_MINUTES * 60;
  }

  signInRules(email: string, ip: string): ThrottleRule[] {
    // The address is hashed so this table never stores who tried to sign in.
    const account = createHash('sha256').update(email).digest('hex');
    return [
      { bucket: `sign-in:account:${account}`, limit: this.config.env.THROTTLE_SIGN_IN_PER_ACCOUNT },
      { bucket: `sign-in:ip:${ip}`, limit: this.config.env.THROTTLE_SIGN_IN_PER_IP },
    ];
  }

  signUpRules(ip: string): ThrottleRule[] {
    return [{ bucket: `sign-up:ip:${ip}`, limit: this.config.env.THROTTLE_SIGN_UP_PER_IP }];
  }

  /** Counts one attempt against every rule; throws 429 with Retry-After when any is over its limit. */
  async consume(rules: ThrottleRule[]): Promise<void> {
    const rows: BucketRow[] = await this.dataSource.query(
      `INSERT INTO auth_throttle AS t (bucket, attempts, window_started_at, window_seconds)
       SELECT b, 1, now(), $2 FROM unnest($1::text[]) AS b
       ON CONFLICT (bucket) DO UPDATE SET
         attempts = CASE WHEN t.window_started_at + make_interval(secs => t.window_seconds) <= now() THEN 1 ELSE t.attempts + 1 END,
         window_started_at = CASE WHEN t.window_started_at + make_interval(secs => t.window_seconds) <= now() THEN now() ELSE t.window_started_at END,
         window_seconds = EXCLUDED.window_seconds
       RETURNING bucket, attempts,
         GREATEST(1, ceil(extract(epoch FROM t.window_started_at + make_interval(secs => t.window_seconds) - now())))::int AS retry_after`,
      [rules.map((r) => r.bucket), this.windowSeconds],
    );
    if (Math.floor(Math.random() * SWEEP_ONE_IN) === 0) await this.sweep();
    const limits = new Map(rules.map((r) => [r.bucket, r.limit]));
    const over = rows.filter((r) => r.attempts > (limits.get(r.bucket) ?? Number.POSITIVE_INFINITY));
    if (over.length === 0) return;
    const retryAfter = Math.max(...over.map((r) => r.retry_after));
    const minutes = Math.ceil(retryAfter / 60);
    throw new AppError(
      'RATE_LIMITED',
      `Too many attempts for this account or from your network. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
      { headers: { 'retry-after': String(retryAfter) } },
    );
  }

  /** After a successful sign-in: the account starts afresh, and the IP is not charged for it. */
  async succeeded(rules: ThrottleRule[]): Promise<void> {
    const [account, ip] = rules;
    // Refunding the IP lets an attacker with one valid account interleave successes to keep spraying;
    // the per-account limit still caps each victim, and this keeps offices behind one NAT working.
    // One statement for both: a sign-in already makes several round trips.
    await this.dataSource.query(
      `WITH cleared AS (DELETE FROM auth_throttle WHERE bucket = $1 RETURNING 1)
       UPDATE auth_throttle SET attempts = GREATEST(attempts - 1, 0) WHERE bucket = $2`,
      [account?.bucket ?? null, ip?.bucket ?? null],
    );
  }

  /** Gives back one attempt that turned out well, so a bucket counts failures only (the second sign-in step's per-IP limit). */
  async refund(bucket: string): Promise<void> {
    await this.dataSource.query('UPDATE auth_throttle SET attempts = GREATEST(attempts - 1, 0) WHERE bucket = $1', [bucket]);
  }

  private async sweep(): Promise<void> {
    await this.dataSource.query(`DELETE FROM auth_throttle WHERE window_started_at + make_interval(secs => window_seconds) < now()`);
  }
}
