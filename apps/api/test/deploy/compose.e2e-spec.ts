import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { ENV_VARS } from '../../src/config/env.schema.js';
import { repoRoot } from '../../src/config/repo-root.js';

/**
 * docker-compose.yml is a real deployment (docs/DEPLOYING.md): secrets only from the env file,
 * restart policies, a health-gated start order, the worker, and a .env.example that matches it. No
 * Docker daemon runs here, so this suite reads both files as compose does.
 */
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  env_file?: ({ path: string; required?: boolean } | string)[];
  environment?: Record<string, string>;
  ports?: string[];
  restart?: string;
  read_only?: boolean;
  volumes?: string[];
  healthcheck?: { disable?: boolean; test?: unknown };
  depends_on?: Record<string, { condition: string }>;
}

const root = repoRoot();
const COMPOSE_TEXT = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(COMPOSE_TEXT, { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { db, app, worker } = compose.services;
const EXAMPLE = readFileSync(join(root, '.env.example'), 'utf8');
/** .env.example's settings: `NAME=value` lines, and the optional ones shown commented out (`# NAME=`). */
const example = new Map([...EXAMPLE.matchAll(/^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[2]!, { value: m[3]!, commented: Boolean(m[1]) }]));
/** Every `${NAME…}` compose interpolates, with whether it must be set (`:?`). */
const interpolated = [...COMPOSE_TEXT.replace(/^\s*#.*$/gm, '').matchAll(/\$\{([A-Z][A-Z0-9_]*)(:\?|:-)?/g)].map((m) => ({ name: m[1]!, required: m[2] === ':?' }));
const SECRET = /PASSWORD|SECRET|_KEY$|TOKEN/;

describe('docker-compose.yml and .env.example', () => {
  it('runs PostgreSQL, the API and the worker, the last two from the image this repository builds', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'db', 'worker']);
    for (const service of [app!, worker!]) expect(service.build).toBe('.');
    expect(worker!.command?.at(-1)).toBe('apps/api/dist/apps/api/src/worker.js');
    expect(app!.environment?.['REPORT_WORKER']).toBe('false');
  });

  it('takes every secret from the env file: no password, key or secret is written in the compose file', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (SECRET.test(key)) expect({ name, key, value }).toEqual({ name, key, value: expect.stringMatching(/^\$\{[A-Z_]+:\?[^}]*\}$/) });
        // A URL may carry a login: its password must be a required interpolation too.
        const login = /^[a-z]+:\/\/([^@]+)@/.exec(value.replace(/\$\{[A-Z_]+:\?[^}]*\}/g, '<required>').replace(/\$\{[A-Z_]+(:-[^}]*)?\}/g, '<optional>'));
        if (login) expect({ name, key, password: login[1]!.split(':')[1] }).toEqual({ name, key, password: '<required>' });
      }
    }
    for (const service of [app!, worker!]) expect(service.env_file).toEqual([{ path: '.env', required: true }]);
  });

  it('leaves every secret empty in .env.example, so compose refuses to start until each is set', () => {
    const secrets = interpolated.filter((v) => SECRET.test(v.name));
    expect(secrets.map((v) => v.name)).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD', 'APP_DATABASE_PASSWORD', 'MASTER_KEY']));
    for (const { name, required } of secrets) {
      expect({ name, required }).toEqual({ name, required: true });
      expect({ name, value: example.get(name)?.value }).toEqual({ name, value: '' });
    }
  });

  it('restarts every service unless it was stopped', () => {
    for (const [name, service] of Object.entries(compose.services)) expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
  });

  it('starts in a health-gated order: the API once PostgreSQL is healthy, the worker once the API is', () => {
    expect(db!.healthcheck?.test).toBeDefined();
    expect(app!.depends_on?.['db']?.condition).toBe('service_healthy');
    expect(app!.healthcheck?.disable).not.toBe(true);
    expect(worker!.depends_on?.['db']?.condition).toBe('service_healthy');
    expect(worker!.depends_on?.['app']?.condition).toBe('service_healthy');
  });

  it('publishes the port .env.example’s PUBLIC_URL names, onto the port the API listens on', () => {
    const [published] = app!.ports ?? [];
    const mapping = /^\$\{HTTP_PORT:-(\d+)\}:(\d+)$/.exec(published ?? '');
    expect(mapping).not.toBeNull();
    expect(mapping![2]).toBe(app!.environment?.['PORT']);
    const hostPort = example.get('HTTP_PORT')?.value ?? mapping![1];
    expect(new URL(example.get('PUBLIC_URL')!.value).port || '80').toBe(hostPort);
    // PostgreSQL is reached on the compose network only.
    expect(db!.ports).toBeUndefined();
  });

  it('names in .env.example every variable compose reads, and only settings the application or compose knows', () => {
    expect(interpolated.map((v) => v.name).filter((name) => !example.has(name))).toEqual([]);
    const known = new Set([...Object.keys(ENV_VARS), ...interpolated.map((v) => v.name)]);
    expect([...example.keys()].filter((name) => !known.has(name))).toEqual([]);
  });

  it('runs the application containers with a read-only root filesystem and one writable volume at DATA_DIR', () => {
    const dataDir = /^ENV .*\bDATA_DIR=(\S+)/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1];
    expect(dataDir).toBe('/data');
    for (const service of [app!, worker!]) {
      expect(service.read_only).toBe(true);
      expect(service.volumes).toEqual([`appdata:${dataDir}`]);
    }
  });
});
