import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from './canonical-json.js';
import { MEASURES_1_0_0 } from './exposure-1.0.0.js';
import { listFrameworks } from './frameworks.js';

// Specs may touch the file system; the library itself never does (it also runs in browsers).
const CONTENT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'content');

interface PublishedManifest {
  frameworkId: string;
  hashAlgorithm: 'sha256';
  versions: Array<{ version: string; publishedAt: string; sha256: string; exposureSha256?: string }>;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function contentHash(path: string): string {
  return createHash('sha256')
    .update(canonicalJson(readJson(path)), 'utf8')
    .digest('hex');
}

// content/drills is the drill scenario library, not a question bank: versioned on its own, its
// published hashes pinned by src/drills.spec.ts.
const frameworkIds = readdirSync(CONTENT_ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'drills')
  .map((e) => e.name);

describe.each(frameworkIds)('published content of %s', (frameworkId) => {
  const manifestPath = join(CONTENT_ROOT, frameworkId, 'published.json');
  const manifest = readJson(manifestPath) as PublishedManifest;
  const versionFolders = readdirSync(join(CONTENT_ROOT, frameworkId), { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d+\.\d+\.\d+$/.test(e.name))
    .map((e) => e.name);

  it('records the framework it belongs to', () => {
    expect(manifest.frameworkId).toBe(frameworkId);
    expect(manifest.hashAlgorithm).toBe('sha256');
  });

  it.each(manifest.versions.map((v) => [v.version, v.sha256] as const))(
    'version %s still has its published content hash',
    (version, publishedSha256) => {
      const actual = contentHash(join(CONTENT_ROOT, frameworkId, version, 'framework.json'));
      if (actual !== publishedSha256) {
        throw new Error(
          `${frameworkId} ${version} changed after publication (sha256 ${actual}, published ${publishedSha256}). ` +
            'Published versions are immutable: revert the edit, then publish a new version folder + a mapping file instead.',
        );
      }
    },
  );

  // Exposure rules are versioned with the bank: a published version's map never changes either.
  // 1.0.0's rules are code (src/exposure-1.0.0.ts); later versions keep them as data beside the questions.
  it.each(manifest.versions.map((v) => [v.version, v.exposureSha256] as const))(
    'version %s still has its published exposure-rules hash',
    (version, published) => {
      expect(published).toEqual(expect.stringMatching(/^[0-9a-f]{64}$/));
      const path = join(CONTENT_ROOT, frameworkId, version, 'exposure.json');
      const actual = existsSync(path)
        ? contentHash(path)
        : createHash('sha256').update(canonicalJson(MEASURES_1_0_0), 'utf8').digest('hex');
      if (actual !== published) {
        throw new Error(
          `${frameworkId} ${version}'s exposure rules changed after publication (sha256 ${actual}, published ${published}). ` +
            'Correct exposure in a new bank version instead: old assessments keep the map they were made with.',
        );
      }
    },
  );

  it('has a published hash for every version folder, so nothing ships unrecorded', () => {
    const published = manifest.versions.map((v) => v.version);
    expect(versionFolders.filter((v) => !published.includes(v))).toEqual([]);
  });

  it('has a CHANGELOG and, after the first version, a mapping file from the previous version', () => {
    const ordered = manifest.versions.map((v) => v.version);
    ordered.forEach((version, i) => {
      expect(existsSync(join(CONTENT_ROOT, frameworkId, version, 'CHANGELOG.md'))).toBe(true);
      const previous = ordered[i - 1];
      if (previous !== undefined) {
        expect(existsSync(join(CONTENT_ROOT, frameworkId, 'mappings', `${previous}_to_${version}.json`))).toBe(true);
      }
    });
  });
});

describe('framework registry', () => {
  it('serves only versions that have a published hash', () => {
    for (const f of listFrameworks()) {
      const manifest = readJson(join(CONTENT_ROOT, f.id, 'published.json')) as PublishedManifest;
      expect(manifest.versions.map((v) => v.version)).toContain(f.version);
    }
  });
});

describe('canonicalJson', () => {
  it('ignores key order and whitespace so re-formatting is not a content change', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: true })).toBe(
      canonicalJson(JSON.parse('{ "a": true, "b": [1, {"c": null, "d": "x"}] }')),
    );
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('changes when any value changes', () => {
    expect(canonicalJson({ a: 'level 3' })).not.toBe(canonicalJson({ a: 'level 4' }));
  });
});
