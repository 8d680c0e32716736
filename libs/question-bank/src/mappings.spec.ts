import { CURRENT_FRAMEWORK, getFramework, listFrameworks } from './frameworks.js';
import { getMapping, listMappings } from './mappings.js';

describe('published mappings between bank versions', () => {
  it('join every published version to the next one, so any older assessment has a way to the current bank', () => {
    const versions = listFrameworks()
      .filter((f) => f.id === CURRENT_FRAMEWORK.id)
      .map((f) => f.version);
    const steps = listMappings(CURRENT_FRAMEWORK.id);
    expect(steps).toEqual(versions.slice(1).map((to, i) => ({ from: versions[i], to })));
  });

  it('account for every question of the older version once, and name only questions of the newer one', () => {
    for (const { from, to } of listMappings(CURRENT_FRAMEWORK.id)) {
      const mapping = getMapping(CURRENT_FRAMEWORK.id, from, to)!;
      const older = getFramework(CURRENT_FRAMEWORK.id, from)!;
      const newer = new Set(getFramework(CURRENT_FRAMEWORK.id, to)!.questions.map((q) => q.id));
      expect(mapping.questions.map((q) => q.from).sort()).toEqual(older.questions.map((q) => q.id).sort());
      const targets = mapping.questions.flatMap((q) => (q.kind === 'retired' ? [] : Array.isArray(q.to) ? q.to : [q.to]));
      expect(targets.filter((id) => !newer.has(id))).toEqual([]);
      expect(mapping.newQuestions.filter((id) => !newer.has(id))).toEqual([]);
      // Every question of the newer version comes from somewhere: a mapped one or a listed new one.
      expect([...newer].filter((id) => !targets.includes(id) && !mapping.newQuestions.includes(id))).toEqual([]);
    }
  });

  it('has nothing for a pair without a published step', () => {
    expect(getMapping('hoh-csam', '1.0.0', '1.2.0')).toBeUndefined();
    expect(getMapping('hoh-csam', '1.1.0', '1.0.0')).toBeUndefined();
  });
});
