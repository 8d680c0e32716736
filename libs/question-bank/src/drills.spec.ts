import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { canonicalJson } from './canonical-json.js';
import { allowedDrillSources, checkDrillLibrary, DRILL_LIBRARY_VERSIONS, DRILL_SETTINGS, drillLibrary, type DrillLibrary } from './drills.js';
import { getCurrentFramework } from './frameworks.js';

// Specs may read files; the library itself never does (it also runs in browsers).
const DRILLS_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'content', 'drills');

const bankIds = () => new Set(getCurrentFramework().questions.map((q) => q.id));
const copy = (): DrillLibrary => JSON.parse(canonicalJson(drillLibrary())) as DrillLibrary;

describe('drill scenario library', () => {
  it('is valid against its schema, the allow-list and the current bank, with six or more scenarios covering every setting', () => {
    const library = drillLibrary();
    expect(library.scenarios.length).toBeGreaterThanOrEqual(6);
    expect(new Set(library.scenarios.map((s) => s.setting))).toEqual(new Set(DRILL_SETTINGS));
    expect(checkDrillLibrary(library, allowedDrillSources(), bankIds())).toEqual([]);
  });

  it('cites only sources on the allow-list kept with it', () => {
    const allowed = new Set(allowedDrillSources().sources.map((s) => s.url));
    const cited = drillLibrary().scenarios.flatMap((s) => [...s.sources, ...s.legalReferences].map((r) => r.url));
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((url) => !allowed.has(url))).toEqual([]);
  });

  it('refuses a source that is not on the allow-list, naming it', () => {
    const library = copy();
    library.scenarios[0]!.sources.push({ url: 'https://example.com/blog/csam-advice', why: 'An unvetted blog post about what to do.' });
    expect(checkDrillLibrary(library, allowedDrillSources(), bankIds())).toEqual([
      'scenarios.0 (platform-hash-match): https://example.com/blog/csam-advice is not on the allow-list (content/drills/allowed-sources.json)',
    ]);
  });

  it('refuses a question id that the current bank does not have', () => {
    const library = copy();
    library.scenarios[1]!.questionIds.push('ENT-99');
    expect(checkDrillLibrary(library, allowedDrillSources(), bankIds())).toEqual(['scenarios.1 (corporate-laptop).questionIds: ENT-99 is not a question of the current bank']);
  });

  it('needs each milestone exactly once per scenario, and every setting covered', () => {
    const library = copy();
    const scenario = library.scenarios[2]!;
    for (const inject of scenario.injects) for (const d of inject.decisions) delete d.milestone;
    library.scenarios = library.scenarios.filter((s) => s.setting !== 'livestream');
    const problems = checkDrillLibrary(library, allowedDrillSources(), bankIds());
    expect(problems).toContain('scenarios.2 (backup-cloud-store): milestone escalation is marked on 0 decisions; exactly one is needed');
    expect(problems).toContain('scenarios: no scenario covers the livestream setting');
  });

  it('exercises at least one question that accepts exercise evidence in every scenario', () => {
    const exerciseQuestions = new Set(getCurrentFramework().questions.filter((q) => q.evidenceKinds.includes('exercise')).map((q) => q.id));
    for (const s of drillLibrary().scenarios) expect([s.id, s.questionIds.some((q) => exerciseQuestions.has(q))]).toEqual([s.id, true]);
  });

  it('keeps every published version as it was published, and serves exactly the published versions', () => {
    const published = JSON.parse(readFileSync(join(DRILLS_ROOT, 'published.json'), 'utf8')) as { versions: { version: string; sha256: string }[] };
    const folders = readdirSync(DRILLS_ROOT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(published.versions.map((v) => v.version).sort()).toEqual([...folders].sort());
    expect([...DRILL_LIBRARY_VERSIONS].sort()).toEqual([...folders].sort());
    for (const { version, sha256 } of published.versions) {
      const actual = createHash('sha256').update(canonicalJson(JSON.parse(readFileSync(join(DRILLS_ROOT, version, 'library.json'), 'utf8'))), 'utf8').digest('hex');
      if (actual !== sha256) throw new Error(`Drill library ${version} changed after publication (sha256 ${actual}, published ${sha256}): revert the edit and publish a new version folder.`);
    }
  });
});
