import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;
const ACTING_USER = `(SELECT NULLIF(current_setting('app.user_id', true), '')::uuid)`;

/**
 * Groups of organisations (issue 31, docs/PRODUCT.md §16): one view over several organisations, each
 * of which runs its own assessment.
 *
 * - `groups`, `group_roles` (owner, viewer), `group_memberships` (invited → member → ended) and
 *   `group_events` (the group's own audit trail) are keyed by group_id: a group spans tenants, so
 *   it is not one tenant's data. RLS is enabled and forced on each; hoh_app sees a group's rows only
 *   when the acting user (app.user_id) holds a role in it (hoh_group_role), and an organisation sees
 *   its own membership rows under its tenant (app.org_id).
 * - `group_summaries`: one row per organisation, a tenant table like any other (tenant policy,
 *   written only inside the organisation's own RLS transaction). It holds the summary a group may
 *   see (profile headline, scores, bands, domain scores, critical gap ids, attestation status,
 *   overdue action count, signed report ids and hashes), never answers, evidence or members.
 * - `hoh_group_summaries(group)`: the only way a group reads them. SECURITY DEFINER, owned by the
 *   NOLOGIN role hoh_lookup; returns rows only when the acting user holds a role in the group, and
 *   only for organisations whose membership is current, so a member that leaves is gone from the
 *   group's next read.
 */
export class CreateGroups1764347320000 implements MigrationInterface {
  name = 'CreateGroups1764347320000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE groups (
        group_id   uuid PRIMARY KEY,
        name       text NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE group_roles (
        group_id uuid NOT NULL REFERENCES groups (group_id),
        user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role     text NOT NULL CHECK (role IN ('owner', 'viewer')),
        added_by uuid NOT NULL REFERENCES users (id),
        added_at timestamptz NOT NULL,
        PRIMARY KEY (group_id, user_id)
      )`);
    await q.query(`CREATE INDEX group_roles_by_user ON group_roles (user_id, group_id)`);
    await q.query(`
      CREATE TABLE group_memberships (
        group_id        uuid NOT NULL REFERENCES groups (group_id),
        organisation_id uuid NOT NULL REFERENCES organisations (organisation_id),
        status          text NOT NULL CHECK (status IN ('invited', 'member', 'ended')),
        invited_by      uuid NOT NULL REFERENCES users (id),
        invited_at      timestamptz NOT NULL,
        joined_at       timestamptz,
        accepted_by     uuid REFERENCES users (id),
        ended_at        timestamptz,
        ended_by        uuid REFERENCES users (id),
        ended_side      text CHECK (ended_side IN ('group', 'organisation')),
        PRIMARY KEY (group_id, organisation_id),
        CHECK (status <> 'member' OR (joined_at IS NOT NULL AND accepted_by IS NOT NULL)),
        CHECK (status <> 'ended' OR (ended_at IS NOT NULL AND ended_by IS NOT NULL AND ended_side IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX group_memberships_by_org ON group_memberships (organisation_id, group_id)`);
    await q.query(`
      CREATE TABLE group_events (
        group_id        uuid NOT NULL REFERENCES groups (group_id),
        id              uuid NOT NULL,
        occurred_at     timestamptz NOT NULL,
        actor_id        uuid NOT NULL REFERENCES users (id),
        action          text NOT NULL,
        organisation_id uuid,
        data            jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (group_id, id)
      )`);
    await q.query(`CREATE INDEX group_events_by_time ON group_events (group_id, occurred_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE group_summaries (
        organisation_id uuid PRIMARY KEY REFERENCES organisations (organisation_id),
        summary         jsonb NOT NULL,
        refreshed_at    timestamptz NOT NULL
      )`);

    // The acting user's role in a group, or null. SECURITY DEFINER so the policies below can ask it
    // without the group_roles policy referring to itself.
    await q.query(`CREATE POLICY group_role_lookup ON group_roles FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT (group_id, user_id, role) ON group_roles TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_group_role(p_group_id uuid) RETURNS text
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT r.role FROM group_roles r WHERE r.group_id = p_group_id AND r.user_id = ${ACTING_USER}
      $$`);
    await q.query(`ALTER FUNCTION hoh_group_role(uuid) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_group_role(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_group_role(uuid) TO hoh_app`);

    for (const table of ['groups', 'group_roles', 'group_memberships', 'group_events', 'group_summaries']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    }
    const ownOrg = `organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid)`;

    // groups: its role holders, its creator (who adds themself as owner in the same transaction), and
    // an organisation it invited or holds (so the organisation's owner can read the name it accepts).
    await q.query(`
      CREATE POLICY group_read ON groups FOR SELECT TO hoh_app USING (
        hoh_group_role(group_id) IS NOT NULL OR created_by = ${ACTING_USER}
        OR EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = groups.group_id AND m.${ownOrg} AND m.status IN ('invited', 'member')))`);
    await q.query(`CREATE POLICY group_create ON groups FOR INSERT TO hoh_app WITH CHECK (created_by = ${ACTING_USER})`);
    await q.query(`GRANT SELECT, INSERT ON groups TO hoh_app`);

    // group_roles: one's own, or all of a group one holds a role in; only its owner adds or removes,
    // except the creator's first owner row.
    await q.query(`CREATE POLICY group_role_read ON group_roles FOR SELECT TO hoh_app USING (user_id = ${ACTING_USER} OR hoh_group_role(group_id) IS NOT NULL)`);
    await q.query(`
      CREATE POLICY group_role_add ON group_roles FOR INSERT TO hoh_app WITH CHECK (
        hoh_group_role(group_id) = 'owner'
        OR (role = 'owner' AND user_id = ${ACTING_USER} AND EXISTS (SELECT 1 FROM groups g WHERE g.group_id = group_roles.group_id AND g.created_by = ${ACTING_USER})))`);
    await q.query(`CREATE POLICY group_role_remove ON group_roles FOR DELETE TO hoh_app USING (hoh_group_role(group_id) = 'owner' AND role = 'viewer')`);
    await q.query(`GRANT SELECT, INSERT, DELETE ON group_roles TO hoh_app`);

    // group_memberships: the group's role holders and the organisation itself read; the group owner
    // invites and ends; the organisation accepts and ends (the service decides which move is whose).
    await q.query(`CREATE POLICY membership_read ON group_memberships FOR SELECT TO hoh_app USING (${TENANT} OR hoh_group_role(group_id) IS NOT NULL)`);
    await q.query(`CREATE POLICY membership_invite ON group_memberships FOR INSERT TO hoh_app WITH CHECK (hoh_group_role(group_id) = 'owner' AND status = 'invited')`);
    await q.query(`
      CREATE POLICY membership_change ON group_memberships FOR UPDATE TO hoh_app
      USING (${TENANT} OR hoh_group_role(group_id) = 'owner') WITH CHECK (${TENANT} OR hoh_group_role(group_id) = 'owner')`);
    await q.query(`GRANT SELECT, INSERT ON group_memberships TO hoh_app`);
    await q.query(`GRANT UPDATE (status, invited_by, invited_at, joined_at, accepted_by, ended_at, ended_by, ended_side) ON group_memberships TO hoh_app`);

    // group_events: append-only; read by role holders; written by them or by an organisation about its own membership.
    await q.query(`CREATE POLICY group_event_read ON group_events FOR SELECT TO hoh_app USING (hoh_group_role(group_id) IS NOT NULL)`);
    await q.query(`
      CREATE POLICY group_event_add ON group_events FOR INSERT TO hoh_app WITH CHECK (
        actor_id = ${ACTING_USER} AND (hoh_group_role(group_id) IS NOT NULL
          OR EXISTS (SELECT 1 FROM group_memberships m WHERE m.group_id = group_events.group_id AND m.${ownOrg} AND group_events.${ownOrg})))`);
    await q.query(`GRANT SELECT, INSERT ON group_events TO hoh_app`);

    // group_summaries: the organisation's own, like every tenant table.
    await q.query(`CREATE POLICY tenant_isolation ON group_summaries USING (${TENANT}) WITH CHECK (${TENANT})`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON group_summaries TO hoh_app`);

    // The group's one read of its members' summaries.
    await q.query(`CREATE POLICY group_summary_read ON group_memberships FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`CREATE POLICY group_summary_read ON group_summaries FOR SELECT TO hoh_lookup USING (true)`);
    await q.query(`GRANT SELECT (group_id, organisation_id, status, joined_at) ON group_memberships TO hoh_lookup`);
    await q.query(`GRANT SELECT (organisation_id, summary, refreshed_at) ON group_summaries TO hoh_lookup`);
    await q.query(`
      CREATE FUNCTION hoh_group_summaries(p_group_id uuid)
      RETURNS TABLE (organisation_id uuid, joined_at timestamptz, refreshed_at timestamptz, summary jsonb)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT m.organisation_id, m.joined_at, s.refreshed_at, s.summary
        FROM group_memberships m LEFT JOIN group_summaries s ON s.organisation_id = m.organisation_id
        WHERE m.group_id = p_group_id AND m.status = 'member'
          AND EXISTS (SELECT 1 FROM group_roles r WHERE r.group_id = p_group_id AND r.user_id = ${ACTING_USER})
        ORDER BY m.joined_at, m.organisation_id
      $$`);
    await q.query(`ALTER FUNCTION hoh_group_summaries(uuid) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_group_summaries(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_group_summaries(uuid) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_group_summaries(uuid)`);
    await q.query(`DROP TABLE IF EXISTS group_summaries, group_events, group_memberships, group_roles, groups`);
    await q.query(`DROP FUNCTION IF EXISTS hoh_group_role(uuid)`);
  }
}
