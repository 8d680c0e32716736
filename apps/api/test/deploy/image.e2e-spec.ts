import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

import dockerignore from '@balena/dockerignore';
import { type Copy, DockerfileParser, type Instruction } from 'dockerfile-ast';

import { repoRoot } from '../../src/config/repo-root.js';

/**
 * The production image must never carry a host's data (the embedded database, its generated
 * passwords and keys), git history, installed modules or bench output. No image can be built here (no
 * Docker daemon), so this suite applies Docker's own rules: it computes the build context with a
 * Docker-compatible .dockerignore matcher over a real tree that holds all of those beside the tracked
 * sources, and reads the Dockerfile with a Dockerfile parser to prove the final stage copies only
 * named build outputs and production dependencies.
 */
const root = repoRoot();
const DOCKERFILE = readFileSync(join(root, 'Dockerfile'), 'utf8');
const DOCKERIGNORE = readFileSync(join(root, '.dockerignore'), 'utf8');

/** What a developer's clone holds beside the sources after npm ci, npm start, npm test and npm run bench. */
const HOST_ONLY = [
  '.data/pg/base/1/1259',
  '.data/pg/postgresql.conf',
  '.data/secrets/hoh-app',
  '.data/secrets/postgres-superuser',
  '.data/secrets/master-key',
  '.data/mail/2026-12-01-invite.eml',
  '.git/config',
  '.git/objects/ab/cdef0123',
  '.nx/workspace-data/project-graph.json',
  'node_modules/pg/package.json',
  'node_modules/.bin/tsc',
  'apps/api/node_modules/.cache/x.js',
  'apps/web/node_modules/.vite/deps/react.js',
  'apps/api/dist/apps/api/src/main.js',
  'apps/api/dist/tsconfig.build.tsbuildinfo',
  'apps/web/dist/index.html',
  'libs/contracts/dist/src/index.js',
  'bench/results.json',
  'test-results/junit.xml',
  'coverage/lcov.info',
  '.env',
  'apps/api/.env.production',
  'report-signing-key.pem',
  'apps/api/audit-anchor.pem',
  'libs/report-pdf/tls.key',
  'apps/api/src/secrets/master-key',
];

/** What counts as a leak: a path component or name from the list above, wherever it sits. */
const FORBIDDEN = [/(^|\/)\.data\//, /(^|\/)\.git\//, /(^|\/)node_modules\//, /(^|\/)dist\//, /(^|\/)\.nx\//, /(^|\/)secrets\//, /(^|\/)\.env/, /\.(pem|key|tsbuildinfo)$/, /(^|\/)(results\.json|test-results|coverage)(\/|$)/];

/** The sources `npm run build` compiles: every tracked one must reach the build. */
const BUILD_INPUTS = [/^apps\/api\/src\//, /^apps\/web\/(src|public)\//, /^apps\/web\/[^/]+\.(html|ts|json)$/, /^libs\/[^/]+\/(src|content)\//, /^libs\/[^/]+\/(package|tsconfig\.build)\.json$/, /^migrations\//];

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path, base) : [relative(base, path).split(sep).join('/')];
  });
}

const args = (instruction: Instruction): string[] => instruction.getArguments().map((a) => a.getValue());
const keyword = (instruction: Instruction) => instruction.getKeyword().toUpperCase();

describe('the production image (Dockerfile and .dockerignore)', () => {
  let tree: string;
  let context: string[];
  let tracked: string[];

  beforeAll(() => {
    tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
    tree = mkdtempSync(join(tmpdir(), 'hoh-context-'));
    for (const file of [...tracked, ...HOST_ONLY]) {
      mkdirSync(dirname(join(tree, file)), { recursive: true });
      writeFileSync(join(tree, file), '');
    }
    // CommonJS with a `default` property: typed as the module under nodenext, callable at run time either way.
    const ignore = dockerignore.default().add(DOCKERIGNORE.split('\n'));
    context = walk(tree).filter((file) => !ignore.ignores(file));
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('sends no data folder, secret, key, git history, installed module, build output or bench result to the builder', () => {
    expect(context.filter((file) => FORBIDDEN.some((rule) => rule.test(file)))).toEqual([]);
    for (const file of HOST_ONLY) expect(context).not.toContain(file);
  });

  it('sends every source the build compiles, and the manifests npm ci reads', () => {
    const needed = tracked.filter((file) => BUILD_INPUTS.some((rule) => rule.test(file)));
    expect(needed.length).toBeGreaterThan(100);
    expect(needed.filter((file) => !context.includes(file))).toEqual([]);
    for (const file of ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.base.json', 'tools/build.mjs', 'tools/lib.mjs']) expect(context).toContain(file);
  });

  it('finds in the context everything the Dockerfile copies from it (a build cannot fail on an ignored path)', () => {
    const sources = DockerfileParser.parse(DOCKERFILE)
      .getInstructions()
      .filter((i): i is Copy => keyword(i) === 'COPY' && (i as Copy).getFromFlag() === null);
    expect(sources.length).toBeGreaterThan(0);
    const missing = sources.flatMap((copy) => args(copy).slice(0, -1)).filter((source) => !context.some((file) => file === source || file.startsWith(`${source.replace(/\/$/, '')}/`)));
    expect(missing).toEqual([]);
  });

  describe('final stage', () => {
    const dockerfile = DockerfileParser.parse(DOCKERFILE);
    const stages = dockerfile.getFROMs().map((from) => ({ name: from.getBuildStage(), line: from.getRange().start.line }));
    const instructions = dockerfile.getInstructions();
    const stageOf = (instruction: Instruction) => [...stages].reverse().find((s) => s.line <= instruction.getRange().start.line);
    const final = stages.at(-1)!;
    const finalInstructions = instructions.filter((i) => stageOf(i) === final);
    const finalCopies = finalInstructions.filter((i): i is Copy => keyword(i) === 'COPY');

    /** Exactly these, each from a named stage: production dependencies, manifests and build output. */
    const ALLOWED = new Map<string, string>([
      ['deps:/app/node_modules', 'production dependencies (npm ci --omit=dev from the manifests alone)'],
      ['build:/app/package.json', 'module type and workspace list'],
      ['build:/app/package-lock.json', 'marks the application root (config/repo-root.ts)'],
      ['build:/app/apps/api/package.json', 'module type of the compiled API'],
      ['build:/app/apps/api/dist', 'compiled API, worker and migrations'],
      ['build:/app/apps/web/dist', 'built web app'],
      ...['contracts', 'scoring-engine', 'question-bank', 'report-pdf'].flatMap((lib): [string, string][] => [
        [`build:/app/libs/${lib}/package.json`, 'module type and exports of the compiled library'],
        [`build:/app/libs/${lib}/dist`, 'compiled library'],
      ]),
    ]);

    it('is built in stages, and its copies all come from an earlier stage, never from the context', () => {
      expect(stages.length).toBeGreaterThanOrEqual(2);
      expect(finalInstructions.filter((i) => keyword(i) === 'ADD')).toEqual([]);
      expect(finalCopies.length).toBeGreaterThan(0);
      for (const copy of finalCopies) expect(copy.getFromFlag()?.getValue()).toMatch(/^[a-z][a-z0-9-]*$/);
    });

    it('copies only named build outputs and production dependencies (never a whole build directory)', () => {
      const copied = finalCopies.flatMap((copy) => args(copy).slice(0, -1).map((source) => `${copy.getFromFlag()?.getValue()}:${source.replace(/\/$/, '')}`));
      expect(copied.filter((source) => !ALLOWED.has(source))).toEqual([]);
      expect(new Set(copied)).toEqual(new Set(ALLOWED.keys()));
    });

    it('takes node_modules from a stage that saw only the manifests and installed without dev dependencies', () => {
      const deps = stages.find((s) => s.name === 'deps')!;
      const inDeps = instructions.filter((i) => stageOf(i) === deps);
      const sources = inDeps.filter((i) => keyword(i) === 'COPY').flatMap((c) => args(c).slice(0, -1));
      expect(sources.filter((s) => !/(^|\/)(package\.json|package-lock\.json|\.npmrc)$/.test(s))).toEqual([]);
      const installs = inDeps.filter((i) => keyword(i) === 'RUN' && /\bnpm ci\b/.test(i.getArgumentsContent() ?? ''));
      expect(installs.map((i) => i.getArgumentsContent())).toEqual([expect.stringContaining('--omit=dev')]);
    });

    it('runs as an unprivileged user, not root', () => {
      const users = finalInstructions.filter((i) => keyword(i) === 'USER').map((i) => args(i)[0]);
      expect(users.length).toBeGreaterThan(0);
      expect(users.at(-1)).not.toMatch(/^(root|0)(:.*)?$/);
      // Every instruction after the last USER runs as that user: nothing there may need root.
      const lastUser = finalInstructions.filter((i) => keyword(i) === 'USER').at(-1)!;
      const after = finalInstructions.filter((i) => i.getRange().start.line > lastUser.getRange().start.line).map(keyword);
      expect(after.filter((k) => k === 'RUN' || k === 'COPY' || k === 'ADD')).toEqual([]);
    });

    it('runs on a Node major that package.json supports', () => {
      const image = dockerfile.getInitialARGs().map((a) => a.getProperty()).find((p) => p?.getName() === 'NODE_IMAGE')?.getValue();
      const major = /^node:(\d+)-/.exec(image ?? '')?.[1];
      const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
      expect(engines.split('||').map((r) => /\d+/.exec(r)?.[0])).toContain(major);
      for (const from of dockerfile.getFROMs()) expect(from.getImage()).toBe('${NODE_IMAGE}');
    });
  });
});
