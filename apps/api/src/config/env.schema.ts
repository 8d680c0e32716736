import { z } from 'zod';

/** The shape MASTER_KEY is checked against here; the keyring parses it (modules/keyring/key-provider.ts). */
const masterKeyShape = (v: string) => {
  const t = v.trim();
  return /^[0-9a-fA-F]{64}$/.test(t) || (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t) && Buffer.from(t, 'base64').length === 32);
};

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * The only place the process environment is read. Every variable has a default or says why it
 * has none; `secret` ones are never printed. README.md's table is written from this list.
 */
export const ENV_VARS = {
  NODE_ENV: { schema: z.enum(['development', 'test', 'production']).default('development'), description: 'development | test | production', secret: false },
  PORT: { schema: z.coerce.number().int().min(1).max(65535).default(3000), description: 'HTTP port for the API and the web app', secret: false },
  HOST: { schema: z.string().min(1).default('127.0.0.1'), description: 'Interface to listen on; 0.0.0.0 in containers', secret: false },
  DATABASE_URL: { schema: z.url().optional(), description: 'PostgreSQL owner/migration login (postgres://user:pass@host:port/db). Unset: an embedded PostgreSQL is started with its data in DATA_DIR', secret: true },
  APP_DATABASE_PASSWORD: { schema: z.string().min(16).optional(), description: 'Password the API uses for its own login role (hoh_app). Unset: generated and kept in DATA_DIR (embedded), or set afresh at each boot (DATABASE_URL; set it when several processes share one database)', secret: true },
  DATA_DIR: { schema: z.string().min(1).default('.data'), description: 'Folder for the embedded database and local secrets', secret: false },
  EMBEDDED_PG_PORT: { schema: z.coerce.number().int().min(1024).max(65535).default(54329), description: 'Port of the embedded PostgreSQL (loopback only)', secret: false },
  DEMO_SEED: { schema: bool(true), description: 'Seed a demo organisation and owner on an empty database and print the login once', secret: false },
  LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), description: 'pino log level', secret: false },
  SESSION_TTL_HOURS: { schema: z.coerce.number().int().min(1).max(24 * 30).default(12), description: 'Idle lifetime of a sign-in session', secret: false },
  THROTTLE_WINDOW_MINUTES: { schema: z.coerce.number().int().min(1).max(24 * 60).default(15), description: 'Length of the sign-in/sign-up throttling window; a throttled caller waits at most this long', secret: false },
  THROTTLE_SIGN_IN_PER_ACCOUNT: { schema: z.coerce.number().int().min(1).max(1000).default(5), description: 'Failed sign-ins allowed per email address per window (a success resets it)', secret: false },
  THROTTLE_SIGN_IN_PER_IP: { schema: z.coerce.number().int().min(1).max(100000).default(20), description: 'Failed sign-ins allowed per client IP per window', secret: false },
  THROTTLE_SIGN_UP_PER_IP: { schema: z.coerce.number().int().min(1).max(100000).default(20), description: 'Account creations (sign-up, or accepting an invitation as a new person) allowed per client IP per window', secret: false },
  INVITATION_TTL_DAYS: { schema: z.coerce.number().int().min(1).max(90).default(7), description: 'Days an invitation link stays valid', secret: false },
  TRUST_PROXY: { schema: bool(false), description: 'Trust X-Forwarded-* from a reverse proxy (sets the Secure __Host- cookie behind TLS)', secret: false },
  DB_POOL_SIZE: { schema: z.coerce.number().int().min(1).max(100).default(10), description: 'Connections in the API pool', secret: false },
  SCORING_CACHE_ENTRIES: {
    schema: z.coerce.number().int().min(0).max(1_000_000).default(2000),
    description: 'Assessments whose scoring input (answers, evidence links, targets; for a signed assessment, its frozen input) this process keeps between reads, with the last score computed from it and that score\'s JSON, each used only while its database version stands; about 60 KB each for 60 answers; 0 turns the cache off',
    secret: false,
  },
  DB_STATEMENT_TIMEOUT_MS: { schema: z.coerce.number().int().min(100).default(2500), description: 'statement_timeout for API queries; the API also gives up on a query 0.5 s later when the server does not answer at all, so a request answers 503 within about 2 s (pool wait) + this + 0.5 s', secret: false },
  EVIDENCE_MAX_BYTES: { schema: z.coerce.number().int().min(1024).max(512 * 1024 * 1024).default(20 * 1024 * 1024), description: 'Largest evidence file accepted, in bytes (default 20 MiB); larger uploads answer 413 while streaming', secret: false },
  EVIDENCE_QUOTA_BYTES: { schema: z.coerce.number().int().min(1024).default(1024 * 1024 * 1024), description: 'Evidence storage per organisation, in bytes (default 1 GiB); beyond it uploads answer 413 QUOTA_EXCEEDED', secret: false },
  EVIDENCE_EMBEDDED_IMAGE_BYTES: { schema: z.coerce.number().int().min(0).default(5 * 1024 * 1024), description: 'Total size of pictures allowed inside one PDF or office document (default 5 MiB; see docs/SECURITY.md)', secret: false },
  STORAGE_BACKEND: { schema: z.enum(['filesystem', 's3']).default('filesystem'), description: 'Where evidence files are kept, encrypted (docs/DEPLOYING.md, "Storage"): filesystem (under STORAGE_DIR) or s3 (an S3-compatible bucket: AWS S3, MinIO, …)', secret: false },
  STORAGE_DIR: { schema: z.string().min(1).optional(), description: 'Folder of the filesystem store. Unset: DATA_DIR/objects', secret: false },
  S3_BUCKET: { schema: z.string().min(3).optional(), description: 'Bucket of the s3 store (required with STORAGE_BACKEND=s3; it must already exist)', secret: false },
  S3_ENDPOINT: { schema: z.url().optional(), description: 'S3 endpoint, e.g. http://minio:9000. Unset: AWS S3 in S3_REGION', secret: false },
  S3_REGION: { schema: z.string().min(1).default('us-east-1'), description: 'S3 region', secret: false },
  S3_ACCESS_KEY_ID: { schema: z.string().min(1).optional(), description: 'S3 access key id. Unset: the AWS SDK\'s default credentials (instance role, AWS_* variables)', secret: false },
  S3_SECRET_ACCESS_KEY: { schema: z.string().min(1).optional(), description: 'S3 secret access key (with S3_ACCESS_KEY_ID)', secret: true },
  S3_FORCE_PATH_STYLE: { schema: bool(false), description: 'Address the bucket as ENDPOINT/BUCKET/key instead of BUCKET.ENDPOINT/key (MinIO and most self-hosted stores need true)', secret: false },
  REPORT_SIGNING_KEY: { schema: z.string().includes('PRIVATE KEY', { message: 'must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----); create one with: openssl genpkey -algorithm ed25519' }).optional(), description: 'Ed25519 private key (PKCS#8 PEM; literal \\n allowed) that signs issued reports and results exports. Unset: generated on first start and kept in the database, shared by every API process', secret: true },
  AUDIT_ANCHOR_KEY: {
    schema: z.string().refine((v) => v.includes('PRIVATE KEY') || !v.includes('\n'), { message: 'must be a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) or the path of a file holding one; create one with: openssl genpkey -algorithm ed25519' }).optional(),
    description: 'Ed25519 private key that signs audit anchors, held outside the database: the PKCS#8 PEM itself (literal \\n allowed) or the path of a file holding it. Unset: anchors are signed with the report key, which a database superuser can read when REPORT_SIGNING_KEY is unset too',
    secret: true,
  },
  REPORT_WORKER: { schema: bool(true), description: 'Run the report-rendering worker loop in this process (set false on API replicas that should not render)', secret: false },
  JOBS_WORKER: { schema: bool(true), description: 'Run scheduled jobs (reminders, housekeeping) in this process through the pg-boss queue; any number of processes may, each job runs once (set false on API replicas that should only serve requests)', secret: false },
  SESSION_RETENTION_DAYS: { schema: z.coerce.number().int().min(0).max(3650).default(7), description: 'Days an expired sign-in session row is kept before housekeeping deletes it', secret: false },
  THROTTLE_RETENTION_HOURS: { schema: z.coerce.number().int().min(0).max(24 * 365).default(24), description: 'Hours a finished sign-in/sign-up throttling window is kept before housekeeping deletes it', secret: false },
  NOTIFICATION_RETENTION_DAYS: { schema: z.coerce.number().int().min(1).max(3650).default(90), description: 'Days a notification is kept after its member read it before housekeeping deletes it (unread ones are kept)', secret: false },
  OUTBOX_RETENTION_DAYS: { schema: z.coerce.number().int().min(1).max(3650).default(30), description: 'Days a delivered message (organisation mail and account mail such as resets) is kept as the record that it went before it is deleted (unsent ones are kept)', secret: false },
  REMINDER_RECORD_RETENTION_DAYS: { schema: z.coerce.number().int().min(15).max(3650).default(60), description: 'Days past its due date a sent-reminder record is kept before housekeeping deletes it; at least 15, beyond the 14 days the reminder scan looks back, so a purged record can never let a reminder go out twice', secret: false },
  REPORT_VERIFY_PER_IP: { schema: z.coerce.number().int().min(1).max(100000).default(60), description: 'Public report verifications allowed per client IP per throttling window', secret: false },
  WEB_DIST_DIR: { schema: z.string().optional(), description: 'Built web app to serve at / (default: apps/web/dist)', secret: false },
  PUBLIC_URL: {
    schema: z
      .url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL such as https://hoh.example.org' })
      .refine((v) => !/[?#]/.test(v), { message: 'must not carry a query or fragment: give the address the web app is served at, e.g. https://hoh.example.org' })
      .optional(),
    description:
      'Address people reach this service at (https://host or https://host/path), used for every link the product builds, such as the verify page a report prints with its QR code. Unset: http://localhost:$PORT without DATABASE_URL, and then reports print how to verify offline instead of a URL; required with DATABASE_URL',
    secret: false,
  },
  MASTER_KEY: {
    schema: z.string().refine((v) => masterKeyShape(v), { message: 'must be 32 random bytes in base64 or hex; create one with: openssl rand -base64 32' }).optional(),
    description: 'Key-encryption key of the keyring that seals every secret the product keeps (mail links now): 32 random bytes, base64 or hex (openssl rand -base64 32). Unset: generated into DATA_DIR/secrets/master-key without DATABASE_URL; required with it, the same on every process',
    secret: true,
  },
  MASTER_KEY_PREVIOUS: {
    schema: z.string().refine((v) => v.split(',').every((k) => k.trim() === '' || masterKeyShape(k)), { message: 'must be a comma-separated list of retired MASTER_KEY values (each 32 bytes, base64 or hex)' }).optional(),
    description: 'Retired master keys, comma-separated, still able to open what they sealed while rotation re-wraps it under MASTER_KEY (docs/SECURITY.md, "Mail and secrets")',
    secret: true,
  },
  SMTP_HOST: { schema: z.string().min(1).optional(), description: 'SMTP server that sends the product\'s mail. Unset: each message is written as an .eml file under DATA_DIR/mail (and, without DATABASE_URL, its subject, recipient and link printed on the terminal)', secret: false },
  SMTP_PORT: { schema: z.coerce.number().int().min(1).max(65535).default(587), description: 'SMTP port (587 submission with STARTTLS, 465 with SMTP_SECURITY=tls)', secret: false },
  SMTP_SECURITY: { schema: z.enum(['starttls', 'tls', 'none']).default('starttls'), description: 'starttls: upgrade the connection and refuse to send if the server cannot; tls: TLS from the first byte (port 465); none: plain text, only for a relay on the same host', secret: false },
  SMTP_USER: { schema: z.string().min(1).optional(), description: 'SMTP login, if the server asks for one', secret: false },
  SMTP_PASSWORD: { schema: z.string().min(1).optional(), description: 'SMTP password for SMTP_USER', secret: true },
  MAIL_FROM: { schema: z.string().min(3).optional(), description: 'From address of the product\'s mail, e.g. "Hand on Heart <no-reply@hoh.example.org>". Unset: no-reply@ the PUBLIC_URL host', secret: false },
  THROTTLE_PASSWORD_RESET_PER_ACCOUNT: { schema: z.coerce.number().int().min(1).max(1000).default(3), description: 'Password-reset mails allowed per email address per throttling window (further requests get the same answer and send nothing)', secret: false },
  THROTTLE_PASSWORD_RESET_PER_IP: { schema: z.coerce.number().int().min(1).max(100000).default(20), description: 'Password-reset requests and reset-token uses allowed per client IP per throttling window → 429', secret: false },
  SSO_ALLOW_HTTP_LOOPBACK_ISSUERS: { schema: bool(false), description: 'Accept http:// single sign-on issuers on this machine (localhost, 127.0.0.1, ::1), for a development or test identity provider; otherwise an issuer must be https://', secret: false },
} as const;

type EnvVars = typeof ENV_VARS;
export type AppEnv = { [K in keyof EnvVars]: z.output<EnvVars[K]['schema']> };

export const EnvSchema = z.object(
  Object.fromEntries(Object.entries(ENV_VARS).map(([k, v]) => [k, v.schema])) as {
    [K in keyof EnvVars]: EnvVars[K]['schema'];
  },
);

export class EnvError extends Error {}

/** Parses the environment once; on failure lists every bad variable and how to fix it. */
export function parseEnv(source: Record<string, string | undefined>): AppEnv {
  // Empty strings count as unset, so `FOO= npm start` falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(cleaned);
  const issues = result.success ? [] : result.error.issues.map((issue) => ({ name: String(issue.path[0]), message: issue.message }));
  // A server deployment (its own database) is reached at an address only its operator knows; a
  // guessed localhost would be printed into every report and link, so it has to be said.
  if (cleaned['DATABASE_URL'] && !cleaned['PUBLIC_URL'])
    issues.push({ name: 'PUBLIC_URL', message: 'is required when DATABASE_URL is set; set it to the address people open this service at, e.g. PUBLIC_URL=https://hoh.example.org' });
  if (result.success && issues.length === 0) return result.data as AppEnv;
  const lines = issues.map(({ name, message }) => {
    const spec = ENV_VARS[name as keyof EnvVars];
    return `  - ${name}: ${message}${spec ? ` (expected: ${spec.description})` : ''}`;
  });
  throw new EnvError(`Invalid environment; fix these variables and start again:\n${lines.join('\n')}`);
}

/**
 * The address every link the product builds starts with. `explicit` says whether an operator set
 * it: only then is it printed into issued reports (a default localhost would mislead a reader).
 */
export function effectivePublicUrl(env: Pick<AppEnv, 'PUBLIC_URL' | 'PORT'>): { url: string; explicit: boolean } {
  return env.PUBLIC_URL ? { url: env.PUBLIC_URL, explicit: true } : { url: `http://localhost:${env.PORT}`, explicit: false };
}
