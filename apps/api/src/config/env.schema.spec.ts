import { EnvError, parseEnv } from './env.schema.js';

describe('environment schema', () => {
  it('gives every variable a working default so a bare environment boots', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: '.data', DEMO_SEED: true });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ PORT: '', DEMO_SEED: '' })).toMatchObject({ PORT: 3000, DEMO_SEED: true });
  });

  it('lists every invalid variable with what it expects, in one error', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'eighty', DEMO_SEED: 'maybe', DATABASE_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/DEMO_SEED:/);
    expect(message).toMatch(/DATABASE_URL:/);
    expect(message).toMatch(/fix these variables/);
  });

  it('takes AUDIT_ANCHOR_KEY as a PEM or a file path, and refuses multi-line text that is neither, without echoing it', () => {
    expect(parseEnv({ AUDIT_ANCHOR_KEY: '/run/secrets/anchor.pem' }).AUDIT_ANCHOR_KEY).toBe('/run/secrets/anchor.pem');
    expect(parseEnv({ AUDIT_ANCHOR_KEY: '-----BEGIN PRIVATE KEY-----\\nMC4C\\n-----END PRIVATE KEY-----' }).AUDIT_ANCHOR_KEY).toMatch(/PRIVATE KEY/);
    expect(() => parseEnv({ AUDIT_ANCHOR_KEY: 'secret-line-1\nsecret-line-2' })).toThrow(/AUDIT_ANCHOR_KEY: must be a PKCS#8 PEM/);
    expect(() => parseEnv({ AUDIT_ANCHOR_KEY: 'secret-line-1\nsecret-line-2' })).not.toThrow(/secret-line/);
  });

  it('never echoes the value of a secret in its error', () => {
    expect(() => parseEnv({ APP_DATABASE_PASSWORD: 'short-secret' })).toThrow(/APP_DATABASE_PASSWORD/);
    expect(() => parseEnv({ APP_DATABASE_PASSWORD: 'short-secret' })).not.toThrow(/short-secret/);
  });
});
