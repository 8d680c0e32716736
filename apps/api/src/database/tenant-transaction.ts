import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs work in one transaction with the row-level-security tenant set for that transaction only
 * (set_config(..., true) = SET LOCAL, safe with pooling; bound parameter, never interpolated).
 */
@Injectable()
export class TenantTransaction {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(organisationId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!UUID.test(organisationId)) throw new Error('organisation id must be a UUID before it reaches set_config');
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT set_config('app.organisation_id', $1, true)`, [organisationId]);
      return work(manager);
    });
  }
}
