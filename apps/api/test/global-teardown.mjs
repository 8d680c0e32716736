import pg from 'pg';

export default async function globalTeardown() {
  const runId = process.env.HOH_TEST_RUN_ID;
  if (process.env.DATABASE_URL && runId) {
    const client = new pg.Client({ connectionString: process.env.HOH_TEST_OWNER_URL });
    await client.connect();
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`hoh_%${runId}%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await client.end();
  }
  await globalThis.__HOH_PG__?.stop();
}
