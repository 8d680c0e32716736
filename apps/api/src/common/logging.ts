import type { LoggerService } from '@nestjs/common';
import { pino, type Level, type Logger as PinoLogger, type LoggerOptions } from 'pino';

import type { AppEnv } from '../config/env.schema.js';

/**
 * One logger per process, shared by Nest and Fastify, in one of two shapes:
 * - `json` (production, containers, pipes, tests): one pino JSON object per line, Nest's lines and
 *   Fastify's alike, so one parser reads the whole log;
 * - `pretty` (`npm start` on a terminal with the embedded database): short lines a person reads,
 *   `HH:MM:SS  message`, warnings and errors marked, a request as `GET /path 200 3 ms`.
 * Either way Nest's start-up chatter (one line per module and per route, ~100 lines) is debug, not
 * info, and a request is one line, written when its response is sent.
 */
export type LogFormat = 'json' | 'pretty';

/** Pretty only for a person at a terminal running the laptop setup; any deployment (DATABASE_URL) or pipe gets JSON. */
export function logFormat(env: Pick<AppEnv, 'DATABASE_URL'>, isTTY: boolean): LogFormat {
  return isTTY && !env.DATABASE_URL ? 'pretty' : 'json';
}

/** This process's format: decided once from its own stdout, so main.ts and app.setup.ts agree. */
export const processLogFormat = (env: Pick<AppEnv, 'DATABASE_URL'>): LogFormat => logFormat(env, process.stdout.isTTY === true);

/** Nest contexts that report wiring at start-up (each module, controller and route): debug detail, not news. */
const WIRING_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

const ANSI = { dim: '\u001b[2m', yellow: '\u001b[33m', red: '\u001b[31m', bold: '\u001b[1m', reset: '\u001b[0m' };

/** A value that is text (or a number) as text; anything else as nothing, never "[object Object]". */
const textOf = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

const clock = (time: unknown): string => {
  const d = new Date(typeof time === 'number' ? time : Date.now());
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};

/**
 * One pino JSON line as a person reads it, or null for lines a terminal does not need (Fastify's
 * "Server listening", which the ready block says better). Continuation lines of a multi-line message
 * or a stack are indented under the message.
 */
export function prettyLine(entry: Record<string, unknown>, colors = false): string | null {
  const paint = (code: string, text: string) => (colors ? `${code}${text}${ANSI.reset}` : text);
  const msg = typeof entry['msg'] === 'string' ? entry['msg'] : '';
  if (msg.startsWith('Server listening at ')) return null;
  const level = typeof entry['level'] === 'number' ? entry['level'] : 30;
  const req = entry['req'] as { method?: string; url?: string } | undefined;
  const res = entry['res'] as { statusCode?: number } | undefined;
  let text = msg;
  if (req?.method && res?.statusCode !== undefined) {
    const ms = typeof entry['responseTime'] === 'number' ? ` ${Math.round(entry['responseTime'])} ms` : '';
    const status = res.statusCode >= 500 ? paint(ANSI.red, String(res.statusCode)) : res.statusCode >= 400 ? paint(ANSI.yellow, String(res.statusCode)) : String(res.statusCode);
    text = `${req.method} ${req.url ?? ''} ${status}${ms}`;
  }
  const err = entry['err'];
  const detail = typeof err === 'string' ? err : err && typeof err === 'object' ? textOf((err as { stack?: unknown }).stack) || textOf((err as { message?: unknown }).message) : '';
  if (detail && !text.includes(detail)) text = text ? `${text}\n${detail}` : detail;
  const context = typeof entry['context'] === 'string' ? entry['context'] : undefined;
  const tag =
    level >= 50 ? paint(ANSI.red, `${(LEVEL_NAMES[level] ?? 'error').toUpperCase()}${context ? ` [${context}]` : ''} `) : level >= 40 ? paint(ANSI.yellow, `WARN${context ? ` [${context}]` : ''} `) : level < 30 ? paint(ANSI.dim, `${LEVEL_NAMES[level] ?? 'debug'}${context ? ` [${context}]` : ''} `) : '';
  const [first = '', ...rest] = text.split('\n');
  return [`${paint(ANSI.dim, clock(entry['time']))}  ${tag}${first}`, ...rest.map((line) => `          ${line}`)].join('\n');
}

/** A pino destination that prints each JSON line as prettyLine makes it. */
function prettyDestination(out: NodeJS.WriteStream, colors: boolean) {
  return {
    write(line: string): void {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const text = prettyLine(entry, colors);
      if (text !== null) out.write(`${text}\n`);
    },
  };
}

const roots = new Map<string, PinoLogger>();

/**
 * The process's pino logger for a level and format, created once: main.ts, Nest and Fastify share
 * it. Fastify takes a child that serialises requests as method and redacted path only (app.setup.ts).
 */
export function rootLogger(level: AppEnv['LOG_LEVEL'], format: LogFormat): PinoLogger {
  const key = `${level}:${format}`;
  let logger = roots.get(key);
  if (!logger) {
    // Headers never reach a line (the request serialiser keeps method and path); should one be
    // logged anyway, its credentials are removed.
    const options: LoggerOptions = { level, redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'], remove: true } };
    const colors = process.stdout.isTTY === true && !process.env['NO_COLOR'];
    logger = format === 'pretty' ? pino(options, prettyDestination(process.stdout, colors)) : pino(options);
    roots.set(key, logger);
  }
  return logger;
}

export interface ReadyFacts {
  url: string;
  demo: { email: string; password: string } | null;
  webBuilt: boolean;
  /** The embedded database's data folder, or null with DATABASE_URL. */
  dataDir: string | null;
}

/**
 * The last thing `npm start` prints: where it runs, the docs, how to sign in, how to stop. On a
 * terminal one block; in JSON the ready line (benches and tests wait for "is ready at") and the demo
 * login as its own line.
 */
export function readyMessages(format: LogFormat, facts: ReadyFacts): string[] {
  const { url, demo, webBuilt, dataDir } = facts;
  const noWeb = webBuilt ? null : 'web app not built; run npm run build';
  if (format === 'json') {
    return [
      `Hand on Heart is ready at ${url}  (API docs ${url}/api/docs)${noWeb ? ` — ${noWeb}` : ''}`,
      ...(demo ? [`Demo login: ${demo.email} / ${demo.password} (DEMO_SEED=false turns the demo off)`] : []),
    ];
  }
  const rows: [string, string | null][] = [
    ['API docs', `${url}/api/docs`],
    ['Demo login', demo && `${demo.email} / ${demo.password}`],
    ['Web app', noWeb],
    ['Stop', `Ctrl-C${dataDir ? ` (the data stays in ${dataDir})` : ''}`],
  ];
  return [[`Hand on Heart is ready at ${url}`, ...rows.flatMap(([k, v]) => (v ? [`  ${k.padEnd(11)} ${v}`] : []))].join('\n')];
}

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
const PINO_LEVEL: Record<NestLevel, Level> = { log: 'info', error: 'error', warn: 'warn', debug: 'debug', verbose: 'trace', fatal: 'fatal' };

/**
 * Nest's LoggerService on a pino logger. Nest passes the context as the last string argument (and
 * for error, a stack before it); a message may be an object (`{ msg, reqId, err }`), whose fields
 * become the line's fields.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pinoLogger: PinoLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(nestLevel: NestLevel, message: unknown, params: unknown[]): void {
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const level: Level = nestLevel === 'log' && context !== undefined && WIRING_CONTEXTS.has(context) ? 'debug' : PINO_LEVEL[nestLevel];
    if (!this.pinoLogger.isLevelEnabled(level)) return;
    const stack = nestLevel === 'error' || nestLevel === 'fatal' ? params.find((p): p is string => typeof p === 'string') : undefined;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    if (stack) fields['err'] = stack;
    if (message instanceof Error) {
      this.pinoLogger[level]({ ...fields, err: message.stack ?? message.message }, message.message);
    } else if (message !== null && typeof message === 'object') {
      const { msg, message: text, ...rest } = message as Record<string, unknown>;
      this.pinoLogger[level]({ ...fields, ...rest }, textOf(msg) || textOf(text));
    } else {
      this.pinoLogger[level](fields, String(message));
    }
  }
}
