import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Issue 26 item 3: each table's SQL lives in its module's repository, and other modules call it.
// The evidence tables' statements are in evidence.repository.ts. The files below still reach the
// tables inside larger statements of their own (a join or aggregate in one round trip that a
// separate repository call would split); the list may only shrink, so no new copy appears.
const STILL_INLINE = new Map<string, string>([
  ['modules/scoring/scoring-input.repository.ts', 'the scoring input is one prepared statement per read (api.score bench)'],
  ['modules/assessments/answers.service.ts', "an answer's evidence ids are a subquery of its one read"],
  ['modules/assessments/upgrade.service.ts', 'moves links inside the upgrade transaction (being reworked elsewhere)'],
  ['modules/reports/report-model.gatherer.ts', "the report snapshot's evidence join (being reworked elsewhere)"],
  ['modules/jobs/reminders.service.ts', 'the reminder scan across organisations (being reworked elsewhere)'],
  ['modules/jobs/weekly-digest.service.ts', "the digest's counts in one statement"],
]);

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOUCHES_EVIDENCE = /\b(?:FROM|JOIN|INTO|UPDATE|DELETE FROM)\s+(?:evidence|evidence_content|evidence_objects|evidence_opens|answer_evidence)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('evidence tables: SQL in one repository', () => {
  const touching = sources(SRC)
    .filter((path) => TOUCHES_EVIDENCE.test(readFileSync(path, 'utf8')))
    .map((path) => relative(SRC, path).split('\\').join('/'));

  it('has no statement on the evidence tables outside evidence.repository.ts but the listed ones', () => {
    const copies = touching.filter((p) => p !== 'modules/evidence/evidence.repository.ts' && !STILL_INLINE.has(p));
    expect(copies).toEqual([]);
  });

  it('lists no file that no longer needs to be listed', () => {
    expect([...STILL_INLINE.keys()].filter((p) => !touching.includes(p))).toEqual([]);
  });
});
