import { Injectable } from '@nestjs/common';

import type { ApplicabilityResponse, ExposureResponse, ProfileResponse } from '@hoh/contracts';
import { CURRENT_FRAMEWORK, evaluateApplicability, exposureMap, getCurrentFramework, type OrganisationProfile } from '@hoh/question-bank';

import { AppError } from '../../common/app-error.js';
import { checkOptionalIfMatch } from '../../common/concurrency.js';
import { currentMember, tenantManager } from '../../database/tenant-context.js';
import { AuditService } from '../audit/audit.service.js';

interface ProfileRow {
  profile: OrganisationProfile;
  version: number;
  updated_at: Date;
  updated_by: string | null;
}

const EMPTY: ProfileResponse = { profile: null, version: 0, updatedAt: null, updatedBy: null };

@Injectable()
export class ProfileService {
  constructor(private readonly audit: AuditService) {}

  async get(): Promise<ProfileResponse> {
    const { organisationId } = currentMember();
    const rows: ProfileRow[] = await tenantManager().query('SELECT profile, version, updated_at, updated_by FROM organisation_profiles WHERE organisation_id = $1', [
      organisationId,
    ]);
    const row = rows[0];
    return row ? { profile: row.profile, version: row.version, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by } : EMPTY;
  }

  /** Replaces the profile; facts whose value changed get today's confirmation date unless the client sent one. */
  async put(profile: OrganisationProfile, ifMatch: number | undefined): Promise<ProfileResponse> {
    const { organisationId, userId } = currentMember();
    const manager = tenantManager();
    const rows: ProfileRow[] = await manager.query('SELECT profile, version, updated_at, updated_by FROM organisation_profiles WHERE organisation_id = $1 FOR UPDATE', [
      organisationId,
    ]);
    const before = rows[0];
    const current = before ? { profile: before.profile, version: before.version, updatedAt: before.updated_at.toISOString(), updatedBy: before.updated_by } : EMPTY;
    checkOptionalIfMatch(ifMatch, current.version, current);

    const now = new Date().toISOString();
    const changed: string[] = [];
    const confirmedAt = { ...profile.confirmedAt };
    for (const key of Object.keys(profile) as (keyof OrganisationProfile)[]) {
      if (key === 'confirmedAt') continue;
      const was = before?.profile[key];
      if (JSON.stringify(was) !== JSON.stringify(profile[key])) {
        changed.push(key);
        confirmedAt[key] ??= now;
      }
    }
    const stored: OrganisationProfile = { ...profile, confirmedAt };
    const saved: ProfileRow[] = await manager.query(
      `INSERT INTO organisation_profiles (organisation_id, profile, version, updated_at, updated_by) VALUES ($1, $2, 1, now(), $3)
       ON CONFLICT (organisation_id) DO UPDATE SET profile = EXCLUDED.profile, version = organisation_profiles.version + 1, updated_at = now(), updated_by = EXCLUDED.updated_by
       RETURNING profile, version, updated_at, updated_by`,
      [organisationId, JSON.stringify(stored), userId],
    );
    const row = saved[0]!;
    await this.audit.append({ action: 'profile.updated', entityType: 'organisation_profile', entityId: organisationId, data: { changed, version: row.version } });
    return { profile: row.profile, version: row.version, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by };
  }

  private async requireProfile(): Promise<OrganisationProfile> {
    const { profile } = await this.get();
    if (!profile) {
      throw new AppError('INVALID_STATE', 'Describe the organisation first (PUT /api/v1/orgs/{orgId}/profile); applicability is computed from its service facts.');
    }
    return profile;
  }

  async applicability(): Promise<ApplicabilityResponse> {
    return this.applicabilityOf(await this.requireProfile());
  }

  applicabilityOf(profile: OrganisationProfile): ApplicabilityResponse {
    const framework = getCurrentFramework();
    const text = new Map(framework.questions.map((q) => [q.id, q]));
    const items = evaluateApplicability(framework, profile).map((a) => ({
      questionId: a.questionId,
      domainId: text.get(a.questionId)?.domainId ?? '',
      text: text.get(a.questionId)?.text ?? '',
      applicable: a.applicable,
      critical: a.critical,
      reason: a.reason,
      decidingFacts: [...a.decidingFacts],
    }));
    return {
      framework: { id: framework.id, version: framework.version },
      applicableCount: items.filter((i) => i.applicable).length,
      criticalCount: items.filter((i) => i.critical).length,
      items,
    };
  }

  async exposure(): Promise<ExposureResponse> {
    // The organisation's exposure under the bank new assessments start on.
    return { items: exposureMap(await this.requireProfile(), CURRENT_FRAMEWORK.version) };
  }
}
