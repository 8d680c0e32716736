import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { SsoConfigRequest } from '@hoh/contracts';

import type { ProviderMetadata } from './oidc.js';

/** One organisation's provider as stored (migration 1764347350000-CreateSingleSignOn). */
export interface SsoConfigRow {
  organisation_id: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  provider_metadata: ProviderMetadata;
  allowed_domains: string[];
  default_role: SsoConfigRequest['defaultRole'];
  trust_provider_mfa: boolean;
  enabled: boolean;
  updated_at: Date;
}

export interface SsoLoginRow {
  nonce: string;
  code_verifier: string;
  expires_at: Date;
}

export interface DomainClaim {
  domain: string;
  organisation_id: string;
  enabled: boolean;
}

const CONFIG_COLUMNS = 'organisation_id, issuer, client_id, client_secret_sealed, provider_metadata, allowed_domains, default_role, trust_provider_mfa, enabled, updated_at';

/** The SQL of the two SSO tables; tenant statements take the caller's tenant transaction. */
@Injectable()
export class SsoRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Across organisations (hoh_sso_claims, SECURITY DEFINER): who claims each of these domains. */
  claims(domains: string[]): Promise<DomainClaim[]> {
    return this.dataSource.query<DomainClaim[]>('SELECT domain, organisation_id, enabled FROM hoh_sso_claims($1::text[])', [domains]);
  }

  /** Across organisations: the organisation a sign-in under way belongs to, by its state's hash. */
  async loginOrganisation(stateHash: Buffer): Promise<string | null> {
    const rows = await this.dataSource.query<{ organisation_id: string }[]>('SELECT organisation_id FROM hoh_sso_login_by_state($1)', [stateHash]);
    return rows[0]?.organisation_id ?? null;
  }

  /**
   * Serialises claims of these domains across organisations until the transaction ends, so two
   * owners saving the same domain at once cannot both see it free (sorted: no lock-order deadlock).
   */
  async lockDomains(m: EntityManager, domains: string[]): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('sso-domain:' || d, 0)) FROM unnest($1::text[]) AS d ORDER BY d`, [[...domains].sort()]);
  }

  /** Across organisations (hoh_sso_secrets_to_rewrap, SECURITY DEFINER): those whose client secret a retired master key sealed. */
  async staleSecrets(activeKeyId: string, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ organisation_id: string }[]>('SELECT organisation_id FROM hoh_sso_secrets_to_rewrap($1, $2)', [activeKeyId, limit]);
    return rows.map((r) => r.organisation_id);
  }

  /** Replaces the sealed client secret only if it is still `before` (a save meanwhile wins). */
  async replaceSealedSecret(m: EntityManager, organisationId: string, before: string, after: string): Promise<boolean> {
    const [done] = await m.query<{ n: number }[]>(
      `WITH u AS (UPDATE sso_configs SET client_secret_sealed = $3 WHERE organisation_id = $1 AND client_secret_sealed = $2 RETURNING 1) SELECT count(*)::int AS n FROM u`,
      [organisationId, before, after],
    );
    return (done?.n ?? 0) > 0;
  }

  async find(m: EntityManager, organisationId: string, forUpdate = false): Promise<SsoConfigRow | null> {
    const rows = await m.query<SsoConfigRow[]>(`SELECT ${CONFIG_COLUMNS} FROM sso_configs WHERE organisation_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [organisationId]);
    return rows[0] ?? null;
  }

  async upsert(
    m: EntityManager,
    row: Omit<SsoConfigRow, 'updated_at'> & { updated_at: Date; updated_by: string },
  ): Promise<void> {
    await m.query(
      `INSERT INTO sso_configs (organisation_id, issuer, client_id, client_secret_sealed, provider_metadata, allowed_domains, default_role, trust_provider_mfa, enabled, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (organisation_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id, client_secret_sealed = EXCLUDED.client_secret_sealed,
         provider_metadata = EXCLUDED.provider_metadata, allowed_domains = EXCLUDED.allowed_domains, default_role = EXCLUDED.default_role,
         trust_provider_mfa = EXCLUDED.trust_provider_mfa, enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [
        row.organisation_id,
        row.issuer,
        row.client_id,
        row.client_secret_sealed,
        JSON.stringify(row.provider_metadata),
        row.allowed_domains,
        row.default_role,
        row.trust_provider_mfa,
        row.enabled,
        row.updated_at,
        row.updated_by,
      ],
    );
  }

  /** Answers whether there was a configuration; pending sign-ins go with it (cascade). */
  async remove(m: EntityManager, organisationId: string): Promise<boolean> {
    const rows = await m.query<{ organisation_id: string }[]>(
      'WITH gone AS (DELETE FROM sso_configs WHERE organisation_id = $1 RETURNING organisation_id) SELECT organisation_id FROM gone',
      [organisationId],
    );
    return rows.length > 0;
  }

  /** Records a sign-in under way, and drops this organisation's expired ones while at it. */
  async addLogin(m: EntityManager, organisationId: string, login: { stateHash: Buffer; browserHash: Buffer; nonce: string; codeVerifier: string; now: Date; expiresAt: Date }): Promise<void> {
    await m.query('DELETE FROM sso_logins WHERE organisation_id = $1 AND expires_at <= $2', [organisationId, login.now]);
    await m.query(
      'INSERT INTO sso_logins (organisation_id, state_hash, browser_hash, nonce, code_verifier, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [organisationId, login.stateHash, login.browserHash, login.nonce, login.codeVerifier, login.now, login.expiresAt],
    );
  }

  /**
   * Uses up the sign-in under way for this state, if the same browser started it: deleted whatever
   * happens next, so a state works once. Null for none (unknown, used, or another browser's).
   */
  async takeLogin(m: EntityManager, organisationId: string, stateHash: Buffer, browserHash: Buffer): Promise<SsoLoginRow | null> {
    const rows = await m.query<SsoLoginRow[]>(
      `WITH taken AS (DELETE FROM sso_logins WHERE organisation_id = $1 AND state_hash = $2 AND browser_hash = $3 RETURNING nonce, code_verifier, expires_at)
       SELECT nonce, code_verifier, expires_at FROM taken`,
      [organisationId, stateHash, browserHash],
    );
    return rows[0] ?? null;
  }
}
