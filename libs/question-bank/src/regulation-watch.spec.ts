import { getFramework, listFrameworks } from './frameworks.js';
import { regulationWatch, watchForBank } from './regulation-watch.js';

describe('regulation watch', () => {
  it('is a valid register, and every published bank version names the entries it was checked against', () => {
    const watch = regulationWatch();
    for (const f of listFrameworks()) {
      expect(watch.banks.find((b) => b.frameworkId === f.id && b.version === f.version)?.checkedAgainst.length).toBeGreaterThan(0);
    }
    // Each entry's changes are dated no later than when it was last checked.
    for (const e of watch.entries) for (const c of e.changes) expect(c.on <= e.lastChecked).toBe(true);
  });

  it("lists only what changed after the bank's regulation snapshot, newest first, and every pending text", () => {
    const current = getFramework('hoh-csam', '1.2.0')!;
    const now = watchForBank(current.id, current.version, current.regulationSnapshotDate);
    expect(now.changedSince.every((c) => c.on > current.regulationSnapshotDate)).toBe(true);
    expect(now.pending.map((p) => p.id)).toContain('ofcom-csam-proposals-2025');
    // Read against an earlier snapshot, the 2026 changes show, newest first.
    const earlier = watchForBank(current.id, current.version, '2026-01-01');
    expect(earlier.changedSince.length).toBeGreaterThan(3);
    expect(earlier.changedSince.map((c) => c.on)).toEqual([...earlier.changedSince.map((c) => c.on)].sort().reverse());
    expect(earlier.changedSince.every((c) => c.on > '2026-01-01')).toBe(true);
  });

  it('counts a text the bank was never checked against as changed since, whatever the date', () => {
    const old = watchForBank('hoh-csam', '1.0.0', '2026-10-31');
    expect(old.changedSince.map((c) => c.id)).toContain('ofcom-csam-proposals-2025');
    expect(old.changedSince.map((c) => c.id)).not.toContain('uk-osa-s66');
  });
});
