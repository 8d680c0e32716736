import { CURRENT_FRAMEWORK, getCurrentFramework, getFramework, listFrameworks } from './frameworks.js';

describe('framework registry', () => {
  it('lists hoh-csam 1.0.0, 1.1.0 and 1.2.0 with their regulation snapshot dates', () => {
    expect(listFrameworks()).toEqual([
      {
        id: 'hoh-csam',
        version: '1.0.0',
        title: 'Hand on Heart CSAM prevention self-assessment',
        publishedAt: '2026-11-28',
        regulationSnapshotDate: '2026-10-31',
        domainCount: 9,
        questionCount: 51,
      },
      {
        id: 'hoh-csam',
        version: '1.1.0',
        title: 'Hand on Heart CSAM prevention self-assessment',
        publishedAt: '2026-12-07',
        regulationSnapshotDate: '2026-10-10',
        domainCount: 9,
        questionCount: 51,
      },
      {
        id: 'hoh-csam',
        version: '1.2.0',
        title: 'Hand on Heart CSAM prevention self-assessment',
        publishedAt: '2026-12-07',
        regulationSnapshotDate: '2026-10-10',
        domainCount: 9,
        questionCount: 65,
      },
    ]);
  });

  it('points CURRENT_FRAMEWORK at a registered version', () => {
    expect(getFramework(CURRENT_FRAMEWORK.id, CURRENT_FRAMEWORK.version)).toBe(getCurrentFramework());
  });

  it('returns undefined for an unknown framework or version', () => {
    expect(getFramework('hoh-csam', '9.9.9')).toBeUndefined();
    expect(getFramework('nope', '1.0.0')).toBeUndefined();
  });

  it('hands out frozen content so no caller can change a published version in memory', () => {
    const framework = getCurrentFramework();
    expect(Object.isFrozen(framework)).toBe(true);
    expect(Object.isFrozen(framework.questions[0]?.scale)).toBe(true);
    expect(() => Object.assign(framework, { title: 'edited' })).toThrow(TypeError);
    expect(() => Object.assign(framework.questions, { length: 0 })).toThrow(TypeError);
  });
});
