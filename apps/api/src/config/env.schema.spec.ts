import { effectivePublicUrl, EnvError, parseEnv } from './env.schema.js';

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

  it('defaults PUBLIC_URL to http://localhost:$PORT without DATABASE_URL, marked as not set explicitly', () => {
    expect(effectivePublicUrl(parseEnv({}))).toEqual({ url: 'http://localhost:3000', explicit: false });
    expect(effectivePublicUrl(parseEnv({ PORT: '8080' }))).toEqual({ url: 'http://localhost:8080', explicit: false });
    expect(effectivePublicUrl(parseEnv({ PUBLIC_URL: 'https://hoh.example.org/board' }))).toEqual({ url: 'https://hoh.example.org/board', explicit: true });
  });

  it('requires PUBLIC_URL when DATABASE_URL is set, saying how to set it', () => {
    expect(() => parseEnv({ DATABASE_URL: 'postgres://owner:pw@db:5432/hand_on_heart' })).toThrow(/PUBLIC_URL: is required when DATABASE_URL is set; set it to/);
    const env = parseEnv({ DATABASE_URL: 'postgres://owner:pw@db:5432/hand_on_heart', PUBLIC_URL: 'https://hoh.example.org' });
    expect(effectivePublicUrl(env)).toEqual({ url: 'https://hoh.example.org', explicit: true });
  });

  it('refuses a PUBLIC_URL that is not an absolute http(s) address, and lists it with the other bad variables', () => {
    for (const bad of ['hoh.example.org', 'ftp://hoh.example.org', 'https://hoh.example.org/?x=1', '/verify']) {
      expect(() => parseEnv({ PUBLIC_URL: bad })).toThrow(/PUBLIC_URL:/);
    }
    expect(() => parseEnv({ PORT: 'eighty', DATABASE_URL: 'postgres://o:p@db/h' })).toThrow(/PORT:[\s\S]*PUBLIC_URL: is required/);
  });

  it('never echoes the value of a secret in its error', () => {
    expect(() => parseEnv({ APP_DATABASE_PASSWORD: 'short-secret' })).toThrow(/APP_DATABASE_PASSWORD/);
    expect(() => parseEnv({ APP_DATABASE_PASSWORD: 'short-secret' })).not.toThrow(/short-secret/);
  });
});
