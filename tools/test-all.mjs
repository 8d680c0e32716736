// `npm test`: build, lint, typecheck, then every test suite (unit, API e2e on real PostgreSQL,
// web unit, browser in Chromium). The last line is the plain total: `N passed, N failed`
// (test cases over every suite; lint and typecheck are gates, not counted).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { build } from './build.mjs';
import { bin, root, run, runCaptured } from './lib.mjs';

const started = Date.now();
const out = mkdtempSync(join(tmpdir(), 'hoh-test-'));
const failures = [];
let passed = 0;
let failed = 0;

async function step(name, fn) {
  const t0 = Date.now();
  console.log(`\n=== ${name} ===`);
  const result = await fn();
  // A captured step ({code, output}) ran beside others: its output is printed now, in one piece.
  const code = typeof result === 'number' ? result : result.code;
  if (typeof result !== 'number') process.stdout.write(result.output.endsWith('\n') || result.output === '' ? result.output : `${result.output}\n`);
  console.log(`=== ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s ===`);
  if (code !== 0) failures.push(name);
  return code;
}

const captured = (command, args, options = {}) => runCaptured(command, args, { env, ...options });

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

await step('build', build);
// The module-boundaries rule reads Nx's cached project graph and silently skips itself without one
// (a fresh clone has none), so the graph is computed first, every run.
await step('project graph (nx)', () => run(bin('nx'), ['show', 'projects'], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
// eslint and tsc each use one core: the lint runs beside the two typechecks (one after the other),
// so the gates take about the longer of the two instead of their sum. The web unit tests (jsdom,
// one core) follow the typechecks on that core, which the lint's longer run would leave idle, instead
// of competing with Chromium and the server in the browser phase. Each prints whole when done.
await Promise.all([
  step('lint (eslint, zero warnings)', () => captured(bin('eslint'), ['.', '--max-warnings', '0'])),
  (async () => {
    await step('typecheck (node projects)', () => captured(bin('tsc'), ['-p', 'tsconfig.json']));
    await step('typecheck (web)', () => captured(bin('tsc'), ['-p', 'apps/web/tsconfig.json']));
    await runVitest();
  })(),
]);

// Three jest runs. Unit and API e2e suites each own their database (a clone of the migrated
// template), so they run on two workers: on the 2-core CI machine that took them from about 400 s
// to 228 s, because much of their time is spent waiting on PostgreSQL and child processes. The
// browser suites share one production server; the API suites that measure behaviour under load
// (project api-e2e-serial in jest.config.mjs) run alone, last.
const jestRun = (name, file, args) => ({ name, file, args });
const nodeRun = jestRun('jest: unit and API e2e (2 workers)', 'jest-node.json', ['--selectProjects', 'unit', 'api-e2e', '--maxWorkers=2']);
// Browser specs mostly wait on Chromium and the server (about 0.8 of a core for two workers); each
// makes its own organisation and people, so two run side by side against the one server, and the
// web unit tests run beside them on the core they leave.
const browserRun = jestRun('jest: browser (2 workers)', 'jest-browser.json', ['--selectProjects', 'browser', '--maxWorkers=2']);
const serialRun = jestRun('jest: load-sensitive API suites (alone)', 'jest-serial.json', ['--selectProjects', 'api-e2e-serial', '--maxWorkers=1']);

function count(report) {
  if (report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (report.numRuntimeErrorTestSuites > 0) failed += report.numRuntimeErrorTestSuites; // a suite that cannot run is a failure
  } else {
    failed += 1;
  }
}

async function runJest({ name, file, args }) {
  const jestOut = join(out, file);
  await step(name, () =>
    run(process.execPath, ['--experimental-vm-modules', join(root, 'node_modules/jest/bin/jest.js'), '--ci', '--forceExit', '--json', `--outputFile=${jestOut}`, ...args], {
      env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --no-warnings=ExperimentalWarning`.trim() },
    }),
  );
  count(readJson(jestOut));
}

async function runVitest() {
  const vitestOut = join(out, 'vitest.json');
  await step('vitest: web unit', () =>
    captured(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestOut}`], { cwd: join(root, 'apps/web') }),
  );
  count(existsSync(vitestOut) ? readJson(vitestOut) : null);
}

await runJest(nodeRun);
await runJest(browserRun);
// Last and alone: these suites measure behaviour under load.
await runJest(serialRun);

const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\nnpm test finished in ${minutes} min.${failures.length ? ` Failed steps: ${failures.join(', ')}.` : ' All steps passed.'}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length > 0 || failed > 0 ? 1 : 0);
