import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A sign-in session. Only the SHA-256 of the cookie value is stored, so a database leak cannot be replayed. */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'bytea' })
  tokenHash!: Buffer;

  /** The name a person ends it by (the token hash never leaves the server). */
  @Column({ type: 'uuid' })
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'csrf_token', type: 'text' })
  csrfToken!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** The User-Agent sent at sign-in, to name the device in the sessions list (device.ts). */
  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  /** How the session was signed in (AUTH_METHODS in libs/contracts). */
  @Column({ name: 'auth_methods', type: 'text', array: true })
  authMethods!: string[];

  /** The organisation whose single sign-on signed this session in (sso-mfa counts only there). */
  @Column({ name: 'sso_organisation_id', type: 'uuid', nullable: true })
  ssoOrganisationId!: string | null;
}
