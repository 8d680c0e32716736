// Benchmark runner: builds what the benches import, runs every bench/*.bench.mjs in name order, each
// in a fresh process (tools/bench-one.mjs), prints a table and writes bench/results.json. Each bench
// module exports `async function run(ctx)` returning entries
// { id, value, unit, baseline?, ratio?, target?, pass?, note? }.
// `pass` may be true, false or "inconclusive" (a busy machine is not a failure; README.md "Benchmarks").
import { execFileSync, fork } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

import { loadAverage, root } from './lib.mjs';

const benchDir = join(root, 'bench');
const only = process.argv.slice(2);

// Benches measure the production build, never the TypeScript sources.
const builds = [
  { project: 'libs/scoring-engine/tsconfig.build.json', output: 'libs/scoring-engine/dist/src/index.js' },
  { project: 'libs/report-pdf/tsconfig.build.json', output: 'libs/report-pdf/dist/src/index.js' },
];
for (const { project, output } of builds) {
  process.stdout.write(`building ${project}\n`);
  // A `tsc -p … --outDir elsewhere` type-check leaves the build-info file claiming dist is current; --force repairs that.
  const force = existsSync(join(root, output)) ? [] : ['--force'];
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', project, ...force], {
    cwd: root,
    stdio: 'inherit',
  });
}

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

const results = [];
let failed = false;
/** Runs one bench in a fresh process (tools/bench-one.mjs says why); resolves with its entries or its error. */
function runBench(file) {
  return new Promise((resolvePromise) => {
    let outcome;
    const child = fork(join(root, 'tools/bench-one.mjs'), [join(benchDir, file)], { stdio: 'inherit' });
    child.on('message', (message) => (outcome = message));
    child.on('exit', (code, signal) => resolvePromise(outcome ?? { error: `the bench process exited (${signal ?? code}) before it sent its results` }));
  });
}

for (const file of files) {
  process.stdout.write(`running ${file}\n`);
  const { entries, error } = await runBench(file);
  if (error !== undefined) {
    failed = true;
    results.push({ id: file, value: null, unit: null, baseline: null, ratio: null, target: null, pass: false, note: error });
    continue;
  }
  for (const e of entries) {
    const entry = {
      id: e.id,
      value: e.value,
      unit: e.unit,
      baseline: e.baseline ?? null,
      ratio: e.ratio ?? (e.baseline ? e.value / e.baseline : null),
      target: e.target ?? null,
      pass: e.pass ?? null,
      ...(e.note ? { note: e.note } : {}),
    };
    results.push(entry);
    if (entry.pass === false) failed = true;
  }
}

const run = {
  generatedAt: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  loadAverageAtEnd: loadAverage(),
};
writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const fmt = (v) =>
  v === null || v === undefined ? '' : typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : String(v);
const rows = [['id', 'value', 'unit', 'baseline', 'ratio', 'target', 'pass']].concat(
  results.map((r) => [
    r.id,
    fmt(r.value),
    r.unit ?? '',
    fmt(r.baseline),
    fmt(r.ratio),
    r.target ?? '',
    r.pass === null ? '' : String(r.pass),
  ]),
);
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
process.stdout.write(`\n${run.node} on ${run.cpus} × ${run.cpuModel}, load ${run.loadAverageAtEnd}\n`);
for (const [i, row] of rows.entries()) {
  process.stdout.write(`${row.map((cell, c) => String(cell).padEnd(widths[c])).join('  ')}\n`);
  if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
}
for (const r of results) if (r.note) process.stdout.write(`\n${r.id}: ${r.note}\n`);
process.stdout.write(`\nwrote bench/results.json\n`);
process.exit(failed ? 1 : 0);
