import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../config/clock.js';

export interface PurgeResult {
  sessions: number;
  throttleRows: number;
}

const HOUR_MS = 3_600_000;

/**
 * Deletes identity-wide rows nobody can use any more (no tenant content, so no tenant transaction):
 * sign-in sessions expired more than SESSION_RETENTION_DAYS ago, and throttling windows that ended
 * more than THROTTLE_RETENTION_HOURS ago. Both by index (migration 1764347232000); the retention
 * keeps recent rows for anyone investigating a sign-in problem.
 */
@Injectable()
export class HousekeepingService {
  private readonly logger = new Logger('housekeeping');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async purge(now: Date = this.clock.now()): Promise<PurgeResult> {
    const sessionCutoff = new Date(now.getTime() - this.config.env.SESSION_RETENTION_DAYS * 24 * HOUR_MS);
    const throttleCutoff = new Date(now.getTime() - this.config.env.THROTTLE_RETENTION_HOURS * HOUR_MS);
    const [{ n: sessions }] = (await this.dataSource.query<{ n: number }[]>(
      `WITH d AS (DELETE FROM sessions WHERE expires_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [sessionCutoff],
    )) as [{ n: number }];
    // A window is at most a day long (THROTTLE_WINDOW_MINUTES ≤ 1440): the index narrows to windows
    // that started before the cutoff, the second test keeps one still running.
    const [{ n: throttleRows }] = (await this.dataSource.query<{ n: number }[]>(
      `WITH d AS (DELETE FROM auth_throttle WHERE window_started_at < $1 AND window_started_at + make_interval(secs => window_seconds) < $1 RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
      [throttleCutoff],
    )) as [{ n: number }];
    if (sessions + throttleRows > 0) this.logger.log(`Purged ${sessions} expired sessions and ${throttleRows} throttle rows`);
    return { sessions, throttleRows };
  }
}
