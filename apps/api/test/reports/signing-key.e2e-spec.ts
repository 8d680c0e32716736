import { createHash, generateKeyPairSync } from 'node:crypto';

import { ReportPublicKeySchema } from '@hoh/contracts';

import { buildConfig, createApp } from '../../src/bootstrap.js';
import { parseEnv } from '../../src/config/env.schema.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const keyIdOf = (x: string) => createHash('sha256').update(Buffer.from(x, 'base64url')).digest('hex').slice(0, 16);

describe('report signing key: configured, or generated once and shared by every process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('generates the key once: a second API process on the same database publishes the same key', async () => {
    const first = ReportPublicKeySchema.parse((await t.http().get('/api/v1/reports/public-key').expect(200)).body);
    const env = parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_SEED: 'false', REPORT_WORKER: 'false' });
    const second = await createApp(buildConfig(env, { ownerUrl: t.db.ownerUrl, appUrl: t.db.appUrl, embedded: null }, null));
    try {
      await second.getHttpAdapter().getInstance().ready();
      const res = await second.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/v1/reports/public-key' });
      expect(ReportPublicKeySchema.parse(res.json())).toEqual(first);
    } finally {
      await second.close();
    }
    const stored = await t.ownerQuery<{ n: string }>('SELECT count(*) AS n FROM report_signing_keys');
    expect(Number(stored[0]!.n)).toBe(1);
    // hoh_app may add the key once but never replace it.
    await expect(t.appQuery(`UPDATE report_signing_keys SET key_id = 'x'`)).rejects.toThrow(/permission denied/);
  });

  it('uses REPORT_SIGNING_KEY when set (PEM with literal \\n accepted)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().replace(/\n/g, '\\n');
    const configured = await startTestApp({ REPORT_SIGNING_KEY: pem, REPORT_WORKER: 'false' });
    try {
      const key = ReportPublicKeySchema.parse((await configured.http().get('/api/v1/reports/public-key').expect(200)).body);
      const x = publicKey.export({ format: 'jwk' }).x!;
      expect(key.jwk.x).toBe(x);
      expect(key.keyId).toBe(keyIdOf(x));
    } finally {
      await configured.close();
    }
  });

  it('refuses to start with a key that is not Ed25519, saying how to make one', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await expect(startTestApp({ REPORT_SIGNING_KEY: pem })).rejects.toThrow(/openssl genpkey -algorithm ed25519/);
  });
});
