import Fastify from 'fastify';
import { pino } from 'pino';

import { OneLinePerRequest, redactPath } from '../app.setup.js';
import { logFormat, PinoNestLogger, prettyLine, readyMessages } from './logging.js';

/** A pino logger writing its JSON lines into an array, as the process logger writes them to stdout. */
function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { lines, logger };
}

describe('log format', () => {
  it('is short lines only for a person at a terminal running the embedded database; JSON for any deployment or pipe', () => {
    expect(logFormat({ DATABASE_URL: undefined }, true)).toBe('pretty');
    expect(logFormat({ DATABASE_URL: undefined }, false)).toBe('json');
    expect(logFormat({ DATABASE_URL: 'postgres://db/hoh' }, true)).toBe('json');
  });
});

describe('Nest lines on the process logger', () => {
  it('keeps the ~100 module and route wiring lines out of info and shows them at debug', () => {
    const info = capture('info');
    const nest = new PinoNestLogger(info.logger);
    nest.log('Mapped {/api/v1/orgs, GET} route', 'RouterExplorer');
    nest.log('AppModule dependencies initialized', 'InstanceLoader');
    nest.log('Nest application successfully started', 'NestApplication');
    nest.log('Report signing key comes from the database', 'reports');
    expect(info.lines.map((l) => l['msg'])).toEqual(['Report signing key comes from the database']);

    const debug = capture('debug');
    new PinoNestLogger(debug.logger).log('Mapped {/api/v1/orgs, GET} route', 'RouterExplorer');
    expect(debug.lines).toEqual([expect.objectContaining({ level: 20, context: 'RouterExplorer', msg: 'Mapped {/api/v1/orgs, GET} route' })]);
  });

  it('writes an object message as the line’s fields and an error’s stack as err', () => {
    const { lines, logger } = capture();
    const nest = new PinoNestLogger(logger);
    nest.warn({ msg: 'database unavailable', reqId: 'r-1', err: 'timeout' }, 'http');
    nest.error('boom', 'Error: boom\n    at x', 'main');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, context: 'http', msg: 'database unavailable', reqId: 'r-1', err: 'timeout' }),
      expect.objectContaining({ level: 50, context: 'main', msg: 'boom', err: 'Error: boom\n    at x' }),
    ]);
  });
});

describe('short lines for a terminal', () => {
  const at = new Date(2026, 11, 8, 9, 5, 7).getTime();

  it('prints the time and the message, marking warnings and errors with their source', () => {
    expect(prettyLine({ level: 30, time: at, msg: 'Embedded PostgreSQL running', context: 'boot' })).toBe('09:05:07  Embedded PostgreSQL running');
    expect(prettyLine({ level: 40, time: at, msg: 'APP_DATABASE_PASSWORD is unset', context: 'boot' })).toBe('09:05:07  WARN [boot] APP_DATABASE_PASSWORD is unset');
    expect(prettyLine({ level: 50, time: at, msg: 'unhandled error', context: 'http', err: 'Error: x\n    at y' })).toBe('09:05:07  ERROR [http] unhandled error\n          Error: x\n              at y');
  });

  it('prints a request as method, path, status and milliseconds', () => {
    expect(prettyLine({ level: 30, time: at, reqId: 'r', req: { method: 'GET', url: '/api/health/live' }, res: { statusCode: 200 }, responseTime: 2.6, msg: 'request completed' })).toBe(
      '09:05:07  GET /api/health/live 200 3 ms',
    );
  });

  it('indents every further line of a message under the first', () => {
    expect(prettyLine({ level: 30, time: at, msg: 'ready\n  API docs x' })).toBe('09:05:07  ready\n            API docs x');
  });

  it('leaves out Fastify’s "Server listening" (the ready block says where)', () => {
    expect(prettyLine({ level: 30, time: at, msg: 'Server listening at http://127.0.0.1:3000' })).toBeNull();
  });
});

describe('the ready message', () => {
  const facts = { url: 'http://127.0.0.1:3000', demo: { email: 'demo@handonheart.example', password: 'hand-on-heart-demo' }, webBuilt: true, dataDir: '/repo/.data' };

  it('on a terminal is one block: the address, the docs, the demo login and how to stop', () => {
    const [block, ...more] = readyMessages('pretty', facts);
    expect(more).toEqual([]);
    expect(block!.split('\n')).toEqual([
      'Hand on Heart is ready at http://127.0.0.1:3000',
      '  API docs    http://127.0.0.1:3000/api/docs',
      '  Demo login  demo@handonheart.example / hand-on-heart-demo',
      '  Stop        Ctrl-C (the data stays in /repo/.data)',
    ]);
  });

  it('in JSON keeps the ready line scripts wait for, then the demo login, and names neither when there is none', () => {
    expect(readyMessages('json', facts)).toEqual([
      'Hand on Heart is ready at http://127.0.0.1:3000  (API docs http://127.0.0.1:3000/api/docs)',
      'Demo login: demo@handonheart.example / hand-on-heart-demo (DEMO_SEED=false turns the demo off)',
    ]);
    expect(readyMessages('json', { ...facts, demo: null, webBuilt: false })).toEqual(['Hand on Heart is ready at http://127.0.0.1:3000  (API docs http://127.0.0.1:3000/api/docs) — web app not built; run npm run build']);
  });
});

describe('request logging', () => {
  async function server() {
    const { lines, logger } = capture();
    const app = Fastify({
      loggerInstance: logger.child({}, { serializers: { req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: redactPath(req.url), reqId: req.id }) } }),
      logController: new OneLinePerRequest(),
    });
    app.get('/api/v1/invitations/:token', () => ({ ok: true }));
    await app.ready();
    return { app, lines };
  }

  it('writes one line per request, on completion, with method, redacted path, status and time', async () => {
    const { app, lines } = await server();
    await app.inject({ method: 'GET', url: '/api/v1/invitations/secret-token?mail=a%40b.example' });
    await app.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual(expect.objectContaining({ msg: 'request completed', req: expect.objectContaining({ method: 'GET', url: '/api/v1/invitations/:token' }), res: { statusCode: 200 } }));
    expect(typeof lines[0]!['responseTime']).toBe('number');
    expect(JSON.stringify(lines)).not.toMatch(/secret-token|mail=/);
  });

  it('writes a path no route matches as that one line too, with 404 and without its query', async () => {
    const { app, lines } = await server();
    await app.inject({ method: 'GET', url: '/nowhere?token=secret' });
    await app.close();
    expect(JSON.stringify(lines)).not.toContain('secret');
    expect(lines).toEqual([expect.objectContaining({ msg: 'request completed', req: expect.objectContaining({ url: '/nowhere' }), res: { statusCode: 404 } })]);
  });
});
