import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { MemberContext } from '../../common/auth/access.decorators.js';
import { runAsMember, tenantManager } from '../../database/tenant-context.js';
import { Keyring } from '../keyring/keyring.js';
import { secretContext } from './sso-settings.service.js';
import { SsoRepository } from './sso.repository.js';

/**
 * Rotation (docs/SECURITY.md): client secrets sealed under a retired master key are re-wrapped under
 * the active one, a batch per run of the storage job, each inside its organisation's own tenant
 * transaction (sso_configs is a tenant table). Only the data key changes; a save meanwhile wins.
 */
@Injectable()
export class SsoSecretRotation {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyring: Keyring,
    private readonly rows: SsoRepository,
  ) {}

  async rewrapPending(limit = 100): Promise<number> {
    let rewrapped = 0;
    for (const organisationId of await this.rows.staleSecrets(this.keyring.activeKeyId, limit)) {
      // No person acts: the same "nobody" member the sign-in uses to read the organisation's configuration.
      const nobody: MemberContext = { organisationId, userId: '00000000-0000-0000-0000-000000000000', role: 'auditor', accountableIndividual: false };
      const done = await runAsMember(this.dataSource, nobody, async () => {
        const m = tenantManager();
        const row = await this.rows.find(m, organisationId, true);
        if (!row) return false;
        const next = await this.keyring.rewrap(row.client_secret_sealed, secretContext(organisationId));
        return next !== null && (await this.rows.replaceSealedSecret(m, organisationId, row.client_secret_sealed, next));
      });
      if (done) rewrapped += 1;
    }
    return rewrapped;
  }
}
