import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../config/clock.js';

export interface PurgeResult {
  sessions: number;
  throttleRows: number;
  readNotifications: number;
  sentOutbox: number;
  reminderRecords: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Rows one call of a purge function deletes at most (the function caps it too); a purge repeats until less comes back. */
const BATCH = 5000;
/** Purges across organisations, each a SECURITY DEFINER function of migration 1764347282000 (hoh_app has no DELETE there). */
const TENANT_PURGES = {
  readNotifications: 'hoh_purge_read_notifications',
  sentOutbox: 'hoh_purge_sent_outbox',
  reminderRecords: 'hoh_purge_reminders_sent',
} as const;

/**
 * Deletes rows nobody can use any more (docs/PRODUCT.md §14, housekeeping), each past a retention
 * from the configuration, counted back from the injected clock:
 * - identity-wide rows (no tenant content, so no tenant transaction, hoh_app deletes them itself):
 *   sign-in sessions expired more than SESSION_RETENTION_DAYS ago, throttling windows ended more than
 *   THROTTLE_RETENTION_HOURS ago;
 * - tenant rows, across organisations through narrow SECURITY DEFINER functions that can delete
 *   nothing else: notifications read more than NOTIFICATION_RETENTION_DAYS ago, outbox messages
 *   delivered more than OUTBOX_RETENTION_DAYS ago, and sent-reminder records whose due date is more
 *   than REMINDER_RECORD_RETENTION_DAYS past (the scan looks back 14 days, so they can no longer stop
 *   a repeat).
 * Every purge reads an index on its timestamp; the retention keeps recent rows for anyone
 * investigating a sign-in problem, a missing mail or a reminder.
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
    const env = this.config.env;
    const sessionCutoff = new Date(now.getTime() - env.SESSION_RETENTION_DAYS * DAY_MS);
    const throttleCutoff = new Date(now.getTime() - env.THROTTLE_RETENTION_HOURS * HOUR_MS);
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
    const readNotifications = await this.purgeAcrossTenants(TENANT_PURGES.readNotifications, new Date(now.getTime() - env.NOTIFICATION_RETENTION_DAYS * DAY_MS));
    const sentOutbox = await this.purgeAcrossTenants(TENANT_PURGES.sentOutbox, new Date(now.getTime() - env.OUTBOX_RETENTION_DAYS * DAY_MS));
    const reminderRecords = await this.purgeAcrossTenants(TENANT_PURGES.reminderRecords, new Date(now.getTime() - env.REMINDER_RECORD_RETENTION_DAYS * DAY_MS));
    const result = { sessions, throttleRows, readNotifications, sentOutbox, reminderRecords };
    if (Object.values(result).some((n) => n > 0)) {
      this.logger.log(
        `Purged ${sessions} expired sessions, ${throttleRows} throttle rows, ${readNotifications} read notifications, ${sentOutbox} delivered outbox messages and ${reminderRecords} reminder records`,
      );
    }
    return result;
  }

  /** One batch per statement (each its own short transaction), until a batch comes back short. */
  private async purgeAcrossTenants(fn: (typeof TENANT_PURGES)[keyof typeof TENANT_PURGES], cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [row] = await this.dataSource.query<{ n: number }[]>(`SELECT ${fn}($1, $2) AS n`, [cutoff, BATCH]);
      const n = row?.n ?? 0;
      total += n;
      if (n < BATCH) return total;
    }
  }
}
