import { Injectable } from '@nestjs/common';

import type { SsoConfig, SsoConfigRequest, SsoSettingsResponse } from '@hoh/contracts';

import { AppError } from '../../common/app-error.js';
import { AppConfig } from '../../config/app-config.js';
import { Clock } from '../../config/clock.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { Keyring } from '../keyring/keyring.js';
import { discoverProvider } from './oidc.js';
import { type SsoConfigRow, SsoRepository } from './sso.repository.js';

/** Where the provider sends people back (registered with the provider as this client's redirect URI). */
export const CALLBACK_PATH = '/api/v1/auth/sso/callback';
/** The keyring context of an organisation's client secret: a sealed value copied to another row does not open. */
export const secretContext = (organisationId: string) => `sso:${organisationId}:client-secret`;

const toConfig = (row: SsoConfigRow): SsoConfig => ({
  issuer: row.issuer,
  clientId: row.client_id,
  hasSecret: true,
  allowedDomains: row.allowed_domains,
  defaultRole: row.default_role,
  trustProviderMfa: row.trust_provider_mfa,
  enabled: row.enabled,
  updatedAt: row.updated_at.toISOString(),
});

/**
 * An organisation's single sign-on configuration (docs/PRODUCT.md §2.6), owner only (the
 * `administer` permission), inside the organisation's tenant transaction. The client secret is sealed
 * by the keyring and never leaves the server; every change is in the organisation's audit chain,
 * without the secret.
 */
@Injectable()
export class SsoSettingsService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly keyring: Keyring,
    private readonly audit: AuditService,
    private readonly rows: SsoRepository,
  ) {}

  get redirectUri(): string {
    return `${this.config.publicUrl}${CALLBACK_PATH}`;
  }

  async read(): Promise<SsoSettingsResponse> {
    const row = await this.rows.find(tenantManager(), currentMember().organisationId);
    return { redirectUri: this.redirectUri, config: row ? toConfig(row) : null };
  }

  /**
   * Saves after discovering the issuer (400 when it is not an OpenID provider this server can
   * reach), refusing domains another organisation claims (409). Discovery runs before any lock is
   * taken, so a slow provider holds no database connection's locks.
   */
  async save(input: SsoConfigRequest): Promise<SsoSettingsResponse> {
    const { organisationId, userId } = currentMember();
    const m = tenantManager();
    const existing = await this.rows.find(m, organisationId);
    if (!input.clientSecret && !existing) {
      throw new AppError('VALIDATION_FAILED', 'Enter the client secret your identity provider gave this application.', {
        details: [{ path: 'clientSecret', message: 'Required the first time; afterwards leave it out to keep the stored one' }],
      });
    }
    const secret = input.clientSecret ?? (await this.keyring.openText(existing!.client_secret_sealed, secretContext(organisationId)));
    const metadata = await discoverProvider(input.issuer, input.clientId, secret, this.config.env.SSO_ALLOW_HTTP_LOOPBACK_ISSUERS);

    await this.rows.lockDomains(m, input.allowedDomains);
    const taken = (await this.rows.claims(input.allowedDomains)).filter((c) => c.organisation_id !== organisationId);
    if (taken.length > 0) {
      const names = [...new Set(taken.map((c) => c.domain))].sort();
      throw new AppError(
        'INVALID_STATE',
        `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} already signed in through another organisation’s provider; a domain belongs to one organisation. Remove ${names.length === 1 ? 'it' : 'them'}, or ask that organisation to give ${names.length === 1 ? 'it' : 'them'} up.`,
        { details: names.map((d) => ({ path: `allowedDomains.${input.allowedDomains.indexOf(d)}`, message: `${d} is claimed by another organisation` })) },
      );
    }

    const sealed = input.clientSecret ? await this.keyring.seal(input.clientSecret, secretContext(organisationId)) : existing!.client_secret_sealed;
    const now = this.clock.now();
    await this.rows.upsert(m, {
      organisation_id: organisationId,
      issuer: input.issuer,
      client_id: input.clientId,
      client_secret_sealed: sealed,
      provider_metadata: metadata,
      allowed_domains: input.allowedDomains,
      default_role: input.defaultRole,
      trust_provider_mfa: input.trustProviderMfa,
      enabled: input.enabled,
      updated_at: now,
      updated_by: userId,
    });
    await this.audit.append({
      action: existing ? 'sso.updated' : 'sso.configured',
      entityType: 'organisation',
      entityId: organisationId,
      data: {
        issuer: input.issuer,
        clientId: input.clientId,
        secretChanged: input.clientSecret !== undefined,
        allowedDomains: input.allowedDomains,
        defaultRole: input.defaultRole,
        trustProviderMfa: input.trustProviderMfa,
        enabled: input.enabled,
      },
    });
    const saved = await this.rows.find(m, organisationId);
    return { redirectUri: this.redirectUri, config: saved ? toConfig(saved) : null };
  }

  /** Idempotent: without a configuration there is nothing to remove, and the answer is the same. */
  async remove(): Promise<void> {
    const { organisationId } = currentMember();
    if (await this.rows.remove(tenantManager(), organisationId)) {
      await this.audit.append({ action: 'sso.removed', entityType: 'organisation', entityId: organisationId, data: {} });
    }
  }
}
