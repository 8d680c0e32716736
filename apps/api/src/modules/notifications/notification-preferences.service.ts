import { Injectable } from '@nestjs/common';

import {
  effectiveDelivery,
  type NotificationDelivery,
  type NotificationPreferencesRequest,
  type NotificationPreferencesResponse,
  PREFERENCE_KINDS,
  type PreferenceKind,
  REQUIRED_KINDS,
  type Role,
} from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { checkOptionalIfMatch } from '../../common/concurrency.js';
import { Clock } from '../../config/clock.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';

type Saved = Partial<Record<PreferenceKind, NotificationDelivery>>;

/** A member the scan is about to notify, with the role that decides what they must receive. */
export interface Addressee {
  id: string;
  role: Role;
}

/**
 * Each member's delivery choice per kind (docs/PRODUCT.md §14), one row per member and organisation
 * with a version: a save names the version it read (If-Match), so two tabs or two devices never
 * overwrite each other silently. The rule of what a role must receive lives in the contracts
 * (REQUIRED_KINDS, effectiveDelivery) so the web page and the scan apply the same one.
 */
@Injectable()
export class NotificationPreferencesService {
  constructor(private readonly clock: Clock) {}

  async get(): Promise<NotificationPreferencesResponse> {
    const { organisationId, userId, role } = currentMember();
    const [row] = await tenantManager().query<{ deliveries: Saved; version: number }[]>(
      `SELECT deliveries, version FROM notification_preferences WHERE organisation_id = $1 AND user_id = $2`,
      [organisationId, userId],
    );
    return present(role, row?.deliveries ?? {}, row?.version ?? 0);
  }

  /** Replaces the member's choices when `ifMatch` is the version they read (0 before the first save). */
  async put(body: NotificationPreferencesRequest, ifMatch: number | undefined): Promise<NotificationPreferencesResponse> {
    const { organisationId, userId, role } = currentMember();
    if (ifMatch === undefined) {
      throw new AppError('PRECONDITION_REQUIRED', 'Send If-Match with the version of your preferences you read (GET …/notification-preferences; "0" before your first save), so a change made elsewhere is not overwritten.');
    }
    const refused = REQUIRED_KINDS[role].filter((k) => body.deliveries[k] === 'off');
    if (refused.length > 0) {
      throw new AppError('VALIDATION_FAILED', `As ${role === 'owner' ? 'an owner' : `a ${role}`} you must receive ${refused.join(', ')}; choose immediately or weekly_digest for ${refused.length === 1 ? 'it' : 'them'}.`, {
        details: refused.map((k) => ({ path: `deliveries.${k}`, message: `Your role must receive this; choose immediately or weekly_digest` })),
      });
    }
    const m = tenantManager();
    // The row is locked for the check and the write, so two saves of the same version cannot both pass.
    const [current] = await m.query<{ deliveries: Saved; version: number }[]>(
      `SELECT deliveries, version FROM notification_preferences WHERE organisation_id = $1 AND user_id = $2 FOR UPDATE`,
      [organisationId, userId],
    );
    const version = current?.version ?? 0;
    checkOptionalIfMatch(ifMatch, version, present(role, current?.deliveries ?? {}, version));
    // Only choices other than the default are stored, so a kind added later starts at immediately.
    const deliveries: Saved = Object.fromEntries(PREFERENCE_KINDS.flatMap((k) => (body.deliveries[k] && body.deliveries[k] !== 'immediately' ? [[k, body.deliveries[k]]] : [])));
    const now = this.clock.now();
    // A first save racing another first save: the loser's insert finds the row and answers 412, as a stale version would.
    const [saved] = await m.query<{ version: number }[]>(
      `INSERT INTO notification_preferences (organisation_id, user_id, deliveries, version, updated_at) VALUES ($1, $2, $3::jsonb, $4 + 1, $5)
       ON CONFLICT (organisation_id, user_id) DO UPDATE SET deliveries = EXCLUDED.deliveries, version = notification_preferences.version + 1, updated_at = EXCLUDED.updated_at
         WHERE notification_preferences.version = $4
       RETURNING version`,
      [organisationId, userId, JSON.stringify(deliveries), version, now],
    );
    if (!saved) return this.stale(role);
    return present(role, deliveries, saved.version);
  }

  /**
   * The delivery each addressee gets for `kind` in the caller's tenant transaction (the scan's): their
   * saved choice, with what their role must receive applied now (their role may have changed since).
   */
  async deliveriesFor(addressees: Addressee[], kind: PreferenceKind): Promise<Map<string, NotificationDelivery>> {
    if (addressees.length === 0) return new Map();
    const { organisationId } = currentMember();
    const rows = await tenantManager().query<{ user_id: string; deliveries: Saved }[]>(
      `SELECT user_id, deliveries FROM notification_preferences WHERE organisation_id = $1 AND user_id = ANY($2::uuid[])`,
      [organisationId, addressees.map((a) => a.id)],
    );
    const saved = new Map(rows.map((r) => [r.user_id, r.deliveries]));
    return new Map(addressees.map((a) => [a.id, effectiveDelivery(a.role, kind, saved.get(a.id)?.[kind])]));
  }

  private async stale(role: Role): Promise<never> {
    const { organisationId, userId } = currentMember();
    const [row] = await tenantManager().query<{ deliveries: Saved; version: number }[]>(
      `SELECT deliveries, version FROM notification_preferences WHERE organisation_id = $1 AND user_id = $2`,
      [organisationId, userId],
    );
    throw new AppError('PRECONDITION_FAILED', 'Your notification preferences were changed elsewhere since you read them. Review them (in `current`) and save again.', {
      current: present(role, row?.deliveries ?? {}, row?.version ?? 0),
    });
  }
}

function present(role: Role, saved: Saved, version: number): NotificationPreferencesResponse {
  return {
    version,
    items: PREFERENCE_KINDS.map((kind) => ({ kind, delivery: effectiveDelivery(role, kind, saved[kind]), required: REQUIRED_KINDS[role].includes(kind) })),
  };
}
