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

const captured = (command, args) => runCaptured(command, args, { env });

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
// so the gates take about the longer of the two instead of their sum. Each prints whole when done.
await Promise.all([
  step('lint (eslint, zero warnings)', () => captured(bin('eslint'), ['.', '--max-warnings', '0'])),
  (async () => {
    await step('typecheck (node projects)', () => captured(bin('tsc'), ['-p', 'tsconfig.json']));
    await step('typecheck (web)', () => captured(bin('tsc'), ['-p', 'apps/web/tsconfig.json']));
  })(),
]);

// Three jest runs. Unit and API e2e suites each own their database (a clone of the migrated
// template), so they run on two workers: on the 2-core CI machine that took them from about 400 s
// to 228 s, because much of their time is spent waiting on PostgreSQL and child processes. The
// browser suites share one production server; the API suites that measure behaviour under load
// (project api-e2e-serial in jest.config.mjs) run alone, last.
const jestRuns = [
  { name: 'jest: unit and API e2e (2 workers)', file: 'jest-node.json', args: ['--selectProjects', 'unit', 'api-e2e', '--maxWorkers=2'] },
  // Browser specs mostly wait on Chromium and the server; each makes its own organisation and people,
  // so two run side by side against the one server (254 s of specs took 261 s on one worker).
  { name: 'jest: browser (2 workers)', file: 'jest-browser.json', args: ['--selectProjects', 'browser', '--maxWorkers=2'] },
  { name: 'jest: load-sensitive API suites (alone)', file: 'jest-serial.json', args: ['--selectProjects', 'api-e2e-serial', '--maxWorkers=1'] },
];
for (const jestRun of jestRuns) {
  const jestOut = join(out, jestRun.file);
  await step(jestRun.name, () =>
    run(process.execPath, ['--experimental-vm-modules', join(root, 'node_modules/jest/bin/jest.js'), '--ci', '--forceExit', '--json', `--outputFile=${jestOut}`, ...jestRun.args], {
      env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --no-warnings=ExperimentalWarning`.trim() },
    }),
  );
  const jest = readJson(jestOut);
  if (jest) {
    passed += jest.numPassedTests;
    failed += jest.numFailedTests;
    if (jest.numRuntimeErrorTestSuites > 0) failed += jest.numRuntimeErrorTestSuites; // a suite that cannot run is a failure
  } else {
    failed += 1;
  }
}

const vitestOut = join(out, 'vitest.json');
await step('vitest: web unit', () =>
  run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestOut}`], { cwd: join(root, 'apps/web'), env }),
);
const vitest = existsSync(vitestOut) ? readJson(vitestOut) : null;
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
} else {
  failed += 1;
}

const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\nnpm test finished in ${minutes} min.${failures.length ? ` Failed steps: ${failures.join(', ')}.` : ' All steps passed.'}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length > 0 || failed > 0 ? 1 : 0);
