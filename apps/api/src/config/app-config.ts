import { type Clock, SystemClock } from './clock.js';
import { type AppEnv, effectivePublicUrl } from './env.schema.js';

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
  ) {
    const { url, explicit } = effectivePublicUrl(env);
    this.publicUrl = url;
    this.publicUrlExplicit = explicit;
  }

  /** PUBLIC_URL, or http://localhost:$PORT in embedded mode: where links the product builds point. */
  readonly publicUrl: string;
  /** Whether an operator set PUBLIC_URL; issued reports print a verify URL only then. */
  readonly publicUrlExplicit: boolean;
}
