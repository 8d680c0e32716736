import { type Clock, SystemClock } from './clock.js';
import type { AppEnv } from './env.schema.js';

/**
 * Typed configuration injected into feature code (never `process.env`). Database URLs are
 * resolved at boot (embedded or external) and handed in here.
 */
export class AppConfig {
  constructor(
    readonly env: AppEnv,
    /** Login of the request-serving role (hoh_app): owns nothing, no BYPASSRLS. */
    readonly appDatabaseUrl: string,
    /** Owner login, used only for migrations and boot checks. */
    readonly ownerDatabaseUrl: string,
    readonly webDistDir: string | null,
    /** The time rules are decided at (config/clock.ts); tests hand in one they move. */
    readonly clock: Clock = new SystemClock(),
  ) {}
}
