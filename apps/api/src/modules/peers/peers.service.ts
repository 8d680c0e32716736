import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { bankMajorMinor, type CohortKey, cohortsOf, type PeerComparison, type PeerFigures, type PeerRun, peerCell, wholePoints } from '@hoh/contracts';

import { Clock } from '../../config/clock.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';
import { ScoringService } from '../scoring/scoring.service.js';

interface ContributionRow {
  assessment_id: string | null;
  service_type: string | null;
  size_band: string | null;
  jurisdiction_group: string | null;
  domains: Record<string, number>;
}

interface SignedRow {
  id: string;
  framework_version: string;
  signed_at: Date;
  signed_score: number | null;
  profile: unknown;
}

interface CohortRow {
  service_type: string;
  size_band: string;
  jurisdiction_group: string;
  bank_version: string;
  size: number;
  computed_at: Date;
  overall: PeerFigures;
  domains: (PeerFigures & { domainId: string })[];
}

/**
 * The peer benchmark (docs/PRODUCT.md §16.4). An organisation's side runs in its own tenant
 * transaction: opting in or out (owners, audited) and keeping its contribution (which signed
 * assessment, its lattice cell, its domain scores) current at each sign-off. The figures are made
 * once a month by hoh_peer_compute, which alone reads across organisations and writes only
 * aggregates; reading "you vs peers" reads those aggregates and the organisation's own row.
 */
@Injectable()
export class PeersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly scoring: ScoringService,
  ) {}

  async setOptIn(optIn: boolean): Promise<PeerComparison> {
    const { organisationId, userId } = currentMember();
    const m = tenantManager();
    const now = this.clock.now();
    if (optIn) {
      const added: unknown[] = await m.query(
        `INSERT INTO peer_contributions (organisation_id, opted_in_at, opted_in_by, refreshed_at) VALUES ($1, $2, $3, $2)
         ON CONFLICT (organisation_id) DO NOTHING RETURNING 1`,
        [organisationId, now, userId],
      );
      if (added.length > 0) {
        await this.refresh();
        await this.audit.append({ action: 'peers.opted_in', entityType: 'organisation', entityId: organisationId, data: {} });
      }
    } else {
      // Opting out removes the contribution itself: nothing of the organisation is kept for peers.
      const removed: unknown[] = await m.query(`DELETE FROM peer_contributions WHERE organisation_id = $1 RETURNING 1`, [organisationId]);
      if (removed.length > 0) await this.audit.append({ action: 'peers.opted_out', entityType: 'organisation', entityId: organisationId, data: {} });
    }
    return this.comparison();
  }

  /** For sign-off: an organisation that takes part contributes its newest signed assessment from this commit on. */
  async refreshIfOptedIn(): Promise<void> {
    const rows: unknown[] = await tenantManager().query(`SELECT 1 FROM peer_contributions WHERE organisation_id = $1`, [currentMember().organisationId]);
    if (rows.length > 0) await this.refresh();
  }

  /** Rewrites the contribution from the newest signed assessment: its cell from the profile it was signed with, its domain scores. */
  private async refresh(): Promise<void> {
    const { organisationId } = currentMember();
    const m = tenantManager();
    const signed = await this.latestSigned();
    const cell = signed ? peerCell(signed.profile) : null;
    const domains: Record<string, number> = {};
    if (signed && cell) {
      const result = await this.scoring.scoreAssessment(organisationId, signed.id);
      for (const d of result.domains) if (d.score !== null) domains[d.domainId] = d.score;
    }
    await m.query(
      `UPDATE peer_contributions SET assessment_id = $2, service_type = $3, size_band = $4, jurisdiction_group = $5, domains = $6, refreshed_at = $7
       WHERE organisation_id = $1`,
      [organisationId, cell ? signed!.id : null, cell?.serviceType ?? null, cell?.sizeBand ?? null, cell?.jurisdictionGroup ?? null, JSON.stringify(domains), this.clock.now()],
    );
  }

  private async latestSigned(): Promise<SignedRow | null> {
    const { organisationId } = currentMember();
    // The profile it was signed with; an assessment begun before snapshots existed falls back to today's profile.
    const [row]: SignedRow[] = await tenantManager().query(
      `SELECT a.id, a.framework_version, a.signed_at, a.signed_score, COALESCE(a.profile_snapshot, p.profile) AS profile
       FROM assessments a LEFT JOIN organisation_profiles p ON p.organisation_id = a.organisation_id
       WHERE a.organisation_id = $1 AND a.status = 'signed' ORDER BY a.signed_at DESC, a.id DESC LIMIT 1`,
      [organisationId],
    );
    return row ?? null;
  }

  /** "You vs peers": the newest signed score against the finest published cohort the organisation is in. */
  async comparison(): Promise<PeerComparison> {
    const { organisationId } = currentMember();
    const m = tenantManager();
    const [row]: ContributionRow[] = await m.query(
      `SELECT assessment_id, service_type, size_band, jurisdiction_group, domains FROM peer_contributions WHERE organisation_id = $1`,
      [organisationId],
    );
    if (!row) return { optedIn: false, reason: 'not_opted_in', you: null, cohort: null };
    const signed = await this.latestSigned();
    const bank = signed ? bankMajorMinor(signed.framework_version) : null;
    if (!signed || signed.signed_score === null || !bank) return { optedIn: true, reason: 'no_signed_assessment', you: null, cohort: null };
    const you: NonNullable<PeerComparison['you']> = {
      assessmentId: signed.id,
      signedAt: signed.signed_at.toISOString(),
      bankVersion: bank,
      score: wholePoints(signed.signed_score),
      domains: Object.entries(row.domains)
        .map(([domainId, score]) => ({ domainId, score: wholePoints(score) }))
        .sort((a, b) => (a.domainId < b.domainId ? -1 : 1)),
    };
    if (!row.service_type || !row.size_band || !row.jurisdiction_group) return { optedIn: true, reason: 'profile_incomplete', you, cohort: null };
    const keys: CohortKey[] = cohortsOf({ serviceType: row.service_type, sizeBand: row.size_band as 'small', jurisdictionGroup: row.jurisdiction_group as 'UK' });
    const cohorts: CohortRow[] = await m.query(
      `SELECT service_type, size_band, jurisdiction_group, bank_version, size, computed_at, overall, domains FROM peer_cohorts
       WHERE bank_version = $1 AND (service_type, size_band, jurisdiction_group) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))`,
      [bank, keys.map((k) => k.serviceType), keys.map((k) => k.sizeBand), keys.map((k) => k.jurisdictionGroup)],
    );
    const finest = keys
      .map((k) => cohorts.find((c) => c.service_type === k.serviceType && c.size_band === k.sizeBand && c.jurisdiction_group === k.jurisdictionGroup))
      .find((c) => c !== undefined);
    if (!finest) return { optedIn: true, reason: 'no_published_cohort', you, cohort: null };
    return {
      optedIn: true,
      reason: null,
      you,
      cohort: {
        serviceType: finest.service_type,
        sizeBand: finest.size_band,
        jurisdictionGroup: finest.jurisdiction_group,
        bankVersion: finest.bank_version,
        size: finest.size,
        computedAt: finest.computed_at.toISOString(),
        overall: finest.overall,
        domains: finest.domains,
      },
    };
  }

  /**
   * The monthly run (pg-boss cron, JobRunner; tests call it directly): once per calendar month of
   * `at`, by the database function that alone reads across organisations.
   */
  async compute(at: Date = this.clock.now()): Promise<PeerRun> {
    const [run]: { period: string; computed_at: Date; contributors: number; cohorts: number; recomputed: boolean }[] = await this.dataSource.query(
      `SELECT period, computed_at, contributors, cohorts, recomputed FROM hoh_peer_compute($1)`,
      [at],
    );
    return { period: run!.period, computedAt: run!.computed_at.toISOString(), contributors: run!.contributors, cohorts: run!.cohorts, recomputed: run!.recomputed };
  }
}
