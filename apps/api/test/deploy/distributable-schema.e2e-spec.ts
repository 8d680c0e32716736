import pg from 'pg';

import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * Past one PostgreSQL, this schema is distributed by organisation (docs/SCALING.md §4, e.g. Citus
 * `create_distributed_table(t, 'organisation_id')`): each tenant table's rows live on the shard of
 * their organisation, global tables are replicated to every node (reference tables) or stay on the
 * coordinator. Groups span organisations, so their tables form a second co-location group, distributed
 * by group_id. That works only while the keys say so, and nothing else would stop the next migration
 * breaking it. So this suite reads the catalogue of a fully migrated database and fails when:
 * - a distributed table (a tenant table, i.e. one with organisation_id, or one listed in
 *   DISTRIBUTED_BY) has a primary key not led by its distribution column, or a unique key without it
 *   (a distributed table can enforce neither);
 * - a foreign key between distributed tables does not pair the distribution column with itself (the
 *   rows it joins would sit on different shards);
 * - a distributed table refers to a global table that is not a reference table;
 * - a global table is not classified below with its reason, refers to distributed rows, or carries a
 *   column naming an organisation (tenant data in a global table);
 * - a distributed table does not force row-level security.
 */

type GlobalRole = 'reference' | 'coordinator';

/**
 * Every table without organisation_id, what it becomes past one PostgreSQL, and why. A reference table
 * is copied to every node (tenant tables may refer to it); a coordinator table stays on the node the
 * API connects to and is never joined with tenant rows.
 */
const GLOBAL_TABLES: Record<string, { as: GlobalRole; why: string }> = {
  users: { as: 'reference', why: 'identity; tenant rows name members, authors and reviewers by user id, so every shard needs it (small, rarely written)' },
  sessions: { as: 'coordinator', why: 'a sign-in, reached by its token hash and user; written on use, so not copied to every node' },
  api_tokens: { as: 'coordinator', why: 'personal API tokens, reached by their hash and user' },
  auth_throttle: { as: 'coordinator', why: 'sign-in throttling windows keyed by account or IP, written on every failed attempt' },
  password_resets: { as: 'coordinator', why: 'single-use reset tokens of a person, not of an organisation' },
  account_outbox: { as: 'coordinator', why: 'mail to a person about their account (password reset, address checks), not an organisation' },
  email_verifications: { as: 'coordinator', why: 'single-use address-confirmation links of a person, not of an organisation' },
  passkeys: { as: 'coordinator', why: 'a person’s WebAuthn credentials, reached by user and credential id; per person, not per tenant (one passkey signs its person into every organisation they belong to)' },
  webauthn_challenges: { as: 'coordinator', why: 'live WebAuthn ceremonies of a person (single-use, 5 minutes)' },
  totp_factors: { as: 'coordinator', why: 'a person’s authenticator-app secret (sealed) and last used step; per person, not per tenant' },
  recovery_codes: { as: 'coordinator', why: 'a person’s one-time recovery codes (hashed); per person, not per tenant' },
  sign_in_challenges: { as: 'coordinator', why: 'pending second steps of sign-ins (single-use, 5 minutes)' },
  report_signing_keys: { as: 'coordinator', why: 'the service’s one report signing key; holds no tenant data' },
  hoh_migrations: { as: 'coordinator', why: 'TypeORM’s record of applied migrations' },
  peer_cohorts: { as: 'coordinator', why: 'the published peer benchmark: cohort key, bank version, size and rounded quartiles, no organisation (docs/PRODUCT.md §16.4)' },
  peer_runs: { as: 'coordinator', why: 'one row per monthly peer benchmark run: its period and counts' },
};

/**
 * Tables distributed by a column other than organisation_id, and why. A group spans organisations
 * (docs/PRODUCT.md §16): its tables are keyed by group_id and co-located with each other, not with any
 * one organisation. (group_summaries is a tenant table: one row per organisation, under its tenant.)
 */
const DISTRIBUTED_BY: Record<string, { column: string; why: string }> = {
  groups: { column: 'group_id', why: 'a group of organisations; its rows belong to no one organisation' },
  group_roles: { column: 'group_id', why: 'who owns or views a group, keyed by group' },
  group_memberships: { column: 'group_id', why: 'which organisations a group holds, keyed by group (an organisation’s own rows are found through an index led by organisation_id)' },
  group_events: { column: 'group_id', why: 'the group’s own trail, keyed by group' },
  group_reports: { column: 'group_id', why: 'the group board report’s job, result and PDF, keyed by group' },
  group_report_registry: { column: 'group_id', why: 'public verification of group reports, keyed by group (report_registry is keyed by organisation)' },
};

/**
 * Rules a table breaks on purpose, each with its reason and plan (docs/SCALING.md §4). The three keys
 * that broke them before (invitation and calendar-feed token hashes, the report registry's PDF hash)
 * now lead with organisation_id (migration 1764347300000).
 */
const ALLOWED_VIOLATIONS: Record<string, string> = {
  'group_memberships: foreign key group_memberships_organisation_id_fkey (organisation_id) → organisations (organisation_id) joins two co-location groups (group_id, organisation_id)':
    'a group holds organisations of any shard. When distributed, this foreign key is dropped and kept by the API, which invites only an organisation it has just read and never deletes organisations; the group reads member summaries through hoh_group_summaries, one query per member organisation’s shard',
  'sessions: column sso_organisation_id names an organisation in a global table':
    'a session signed in through single sign-on names the organisation whose provider vouched for it (sso-mfa counts there only); an id compared with the route’s organisation, never joined, with no foreign key, so the session stays on the coordinator',
};

interface Table {
  name: string;
  /** The distribution column, or null for a global table. */
  key: string | null;
  rls: boolean;
  forced: boolean;
  columns: string[];
}
interface Key {
  table: string;
  name: string;
  primary: boolean;
  columns: string[];
}
interface ForeignKey {
  table: string;
  name: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
}

describe('a schema that stays distributable by organisation', () => {
  let db: TestDatabase;
  let tables: Map<string, Table>;
  let keys: Key[];
  let foreignKeys: ForeignKey[];

  beforeAll(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.ownerUrl });
    await client.connect();
    try {
      const columnsOf = `(SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(%KEYS%) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = %REL% AND a.attnum = k.attnum)`;
      const rows = await client.query<{ name: string; rls: boolean; forced: boolean; columns: string[] }>(
        `SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
      );
      tables = new Map(rows.rows.map((t) => [t.name, { ...t, key: DISTRIBUTED_BY[t.name]?.column ?? (t.columns.includes('organisation_id') ? 'organisation_id' : null) }]));
      keys = (
        await client.query<Key>(
          `SELECT t.relname AS table, i.relname AS name, x.indisprimary AS primary, ${columnsOf.replace('%KEYS%', 'x.indkey').replace('%REL%', 'x.indrelid')} AS columns
             FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND x.indisunique`,
        )
      ).rows;
      foreignKeys = (
        await client.query<ForeignKey>(
          `SELECT c.relname AS table, p.conname AS name, r.relname AS references,
                  ${columnsOf.replace('%KEYS%', 'p.conkey').replace('%REL%', 'p.conrelid')} AS columns,
                  ${columnsOf.replace('%KEYS%', 'p.confkey').replace('%REL%', 'p.confrelid')} AS "referencedColumns"
             FROM pg_constraint p JOIN pg_class c ON c.oid = p.conrelid JOIN pg_class r ON r.oid = p.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND p.contype = 'f'`,
        )
      ).rows;
    } finally {
      await client.end();
    }
  });
  afterAll(() => db?.drop());

  const distributedTables = () => [...tables.values()].filter((t) => t.key !== null);
  const globalTables = () => [...tables.values()].filter((t) => t.key === null);
  const keyOf = (name: string) => tables.get(name)?.key ?? null;

  /** Each rule's violations, each naming the table first, then the key and what is wrong. */
  const rules = {
    primaryKeys: () =>
      distributedTables().flatMap((t) => {
        const pk = keys.find((k) => k.table === t.name && k.primary);
        if (!pk) return [`${t.name}: no primary key`];
        return pk.columns[0] === t.key ? [] : [`${t.name}: primary key (${pk.columns.join(', ')}) does not lead with ${t.key}`];
      }),
    uniqueKeys: () =>
      keys.filter((k) => keyOf(k.table) !== null && !k.columns.includes(keyOf(k.table)!)).map((k) => `${k.table}: unique key ${k.name} (${k.columns.join(', ')}) lacks ${keyOf(k.table)}`),
    distributedForeignKeys: () =>
      foreignKeys
        .filter((fk) => keyOf(fk.table) !== null && keyOf(fk.references) !== null)
        .flatMap((fk) => {
          const [from, to] = [keyOf(fk.table)!, keyOf(fk.references)!];
          const describe = `${fk.table}: foreign key ${fk.name} (${fk.columns.join(', ')}) → ${fk.references} (${fk.referencedColumns.join(', ')})`;
          if (from !== to) return [`${describe} joins two co-location groups (${from}, ${to})`];
          const at = fk.columns.indexOf(from);
          return at === -1 || fk.referencedColumns[at] !== to ? [`${describe} does not pair ${from}`] : [];
        }),
    globalReferences: () =>
      foreignKeys
        .filter((fk) => keyOf(fk.table) !== null && keyOf(fk.references) === null && GLOBAL_TABLES[fk.references]?.as !== 'reference')
        .map((fk) => `${fk.table}: foreign key ${fk.name} → ${fk.references}, which is not a reference table`),
    tenantDataInGlobals: () => [
      // A column naming an organisation or tenant, or a key into distributed rows, is tenant data.
      ...globalTables().flatMap((t) => t.columns.filter((c) => /organi[sz]ation|(^|_)org(_|$)|tenant/.test(c)).map((c) => `${t.name}: column ${c} names an organisation in a global table`)),
      ...foreignKeys.filter((fk) => keyOf(fk.table) === null && keyOf(fk.references) !== null).map((fk) => `${fk.table}: foreign key ${fk.name} into distributed table ${fk.references}`),
      // A reference table is copied to every node: what it refers to must be there too.
      ...foreignKeys
        .filter((fk) => GLOBAL_TABLES[fk.table]?.as === 'reference' && GLOBAL_TABLES[fk.references]?.as !== 'reference')
        .map((fk) => `${fk.table}: reference table refers to ${fk.references}, which is not one`),
    ],
  };
  /** Violations not on the allow-list. */
  const unexpected = (violations: string[]) => violations.filter((v) => !(v in ALLOWED_VIOLATIONS));

  it('reads a migrated schema with tenant and global tables', () => {
    const tenantTables = distributedTables().filter((t) => t.key === 'organisation_id');
    expect(tenantTables.length).toBeGreaterThan(20);
    expect(tenantTables.map((t) => t.name)).toEqual(expect.arrayContaining(['organisations', 'memberships', 'assessments', 'answers', 'evidence', 'reports', 'report_registry', 'invitations']));
    expect(globalTables().map((t) => t.name)).toEqual(expect.arrayContaining(['users', 'sessions']));
  });

  it('leads every distributed table’s primary key with its distribution column (organisation_id for tenant tables)', () => {
    expect(unexpected(rules.primaryKeys())).toEqual([]);
  });

  it('includes the distribution column in every unique key of a distributed table', () => {
    expect(unexpected(rules.uniqueKeys())).toEqual([]);
  });

  it('pairs the distribution column with itself in every foreign key between distributed tables', () => {
    expect(unexpected(rules.distributedForeignKeys())).toEqual([]);
  });

  it('lets a distributed table refer to a global table only when that table is a reference table', () => {
    expect(unexpected(rules.globalReferences())).toEqual([]);
  });

  it('classifies every global table with its reason, and none holds tenant data', () => {
    expect(globalTables().map((t) => t.name).filter((name) => !(name in GLOBAL_TABLES))).toEqual([]);
    for (const [name, entry] of Object.entries(GLOBAL_TABLES)) expect({ name, why: entry.why.length > 20 }).toEqual({ name, why: true });
    expect(unexpected(rules.tenantDataInGlobals())).toEqual([]);
  });

  it('enables and forces row-level security on every distributed table', () => {
    expect(distributedTables().filter((t) => !t.rls || !t.forced).map((t) => t.name)).toEqual([]);
  });

  it('keeps no allow-list entry the schema no longer needs (once its plan lands, the entry goes)', () => {
    const all = new Set(Object.values(rules).flatMap((rule) => rule()));
    expect(Object.keys(ALLOWED_VIOLATIONS).filter((v) => !all.has(v))).toEqual([]);
  });
});
