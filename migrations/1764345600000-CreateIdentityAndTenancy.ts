import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles, identity and the first tenant tables.
 *
 * - `hoh_app` serves requests: LOGIN, owns nothing, not a superuser, no BYPASSRLS.
 * - `hoh_lookup` (NOLOGIN) owns the few SECURITY DEFINER functions that must cross tenants
 *   (a user's memberships at sign-in); it can only SELECT what those functions read.
 * - A tenant table is any table with `organisation_id`; each gets RLS enabled AND forced, with a
 *   policy that fails closed when `app.org_id` is unset (NULLIF turns '' into NULL).
 */
export class CreateIdentityAndTenancy1764345600000 implements MigrationInterface {
  name = 'CreateIdentityAndTenancy1764345600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hoh_app') THEN
          CREATE ROLE hoh_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hoh_lookup') THEN
          CREATE ROLE hoh_lookup NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO hoh_app', current_database());
      END $$`);
    await q.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    await q.query(`GRANT USAGE ON SCHEMA public TO hoh_app, hoh_lookup`);

    await q.query(`
      CREATE TABLE users (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email         text NOT NULL,
        name          text NOT NULL,
        password_hash text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_email_key UNIQUE (email)
      )`);
    await q.query(`
      CREATE TABLE sessions (
        token_hash   bytea PRIMARY KEY,
        user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf_token   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sessions_by_user ON sessions (user_id)`);

    // The organisation's own row carries organisation_id too, so it is a tenant table like the rest.
    await q.query(`
      CREATE TABLE organisations (
        organisation_id uuid PRIMARY KEY,
        name            text NOT NULL,
        version         integer NOT NULL DEFAULT 1,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE memberships (
        organisation_id        uuid NOT NULL REFERENCES organisations (organisation_id) ON DELETE CASCADE,
        user_id                uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role                   text NOT NULL CHECK (role IN ('owner', 'assessor', 'contributor', 'auditor')),
        accountable_individual boolean NOT NULL DEFAULT false,
        created_at             timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, user_id)
      )`);
    await q.query(`CREATE INDEX memberships_by_user ON memberships (user_id) INCLUDE (organisation_id, role)`);

    for (const table of ['organisations', 'memberships']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))
          WITH CHECK (organisation_id = (SELECT NULLIF(current_setting('app.org_id', true), '')::uuid))`);
      await q.query(`CREATE POLICY cross_tenant_lookup ON ${table} FOR SELECT TO hoh_lookup USING (true)`);
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO hoh_app`);
      await q.query(`GRANT SELECT ON ${table} TO hoh_lookup`);
    }
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions TO hoh_app`);

    await q.query(`
      CREATE FUNCTION hoh_memberships_of(p_user_id uuid)
      RETURNS TABLE (organisation_id uuid, organisation_name text, role text, accountable_individual boolean)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT m.organisation_id, o.name, m.role, m.accountable_individual
        FROM memberships m JOIN organisations o ON o.organisation_id = m.organisation_id
        WHERE m.user_id = p_user_id
        ORDER BY o.name, m.organisation_id
      $$`);
    await q.query(`ALTER FUNCTION hoh_memberships_of(uuid) OWNER TO hoh_lookup`);
    await q.query(`REVOKE ALL ON FUNCTION hoh_memberships_of(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION hoh_memberships_of(uuid) TO hoh_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS hoh_memberships_of(uuid)`);
    await q.query(`DROP TABLE IF EXISTS memberships, organisations, sessions, users`);
    // Roles are cluster-wide and may serve other databases; they are left in place on purpose.
  }
}
