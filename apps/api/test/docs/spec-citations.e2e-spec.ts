import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

import { repoRoot } from '../../src/config/repo-root.js';

/**
 * The living spec is in the repository (docs/PRODUCT.md, docs/API.md, ARCHITECTURE.md,
 * docs/SECURITY.md, docs/SCALING.md). A comment, message or doc that cites a file handed over beside
 * the repository sends a reader to something they cannot open, so this tree walk fails on any such
 * citation.
 */

const ROOT = repoRoot();
const SCANNED = ['apps', 'libs', 'tools', 'bench', 'migrations', 'docs', 'README.md', 'ARCHITECTURE.md'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.data', 'coverage', '.nx']);
// Written by tools (a bench run records error messages with machine paths), not by people.
const GENERATED = new Set(['bench/results.json']);
const TEXT = new Set(['.ts', '.tsx', '.mts', '.mjs', '.js', '.cjs', '.json', '.md', '.html', '.css', '.yml', '.yaml', '.sh', '.sql']);

// Spelled in pieces, so that this file does not itself match a search of the tree for such citations.
const md = (names: string[]) => names.map((name) => `${name}\\.md`).join('|');
const OUTSIDE: { pattern: RegExp; why: string }[] = [
  { pattern: new RegExp(['\\/work\\/(?:shared|briefs)\\b', '\\.\\.\\/shared\\/', 'shared\\/domain', ['shared', 'brief'].join(' ')].join('|')), why: 'a path outside the repository' },
  {
    pattern: new RegExp(`\\b(?:${md(['STYLE', 'STACK', 'CONTROLS', 'VERIFICATION'])})\\b|${['REFERENCES', '2026'].join('-')}|${['FIGURES', '2026'].join('-')}`),
    why: 'a brief that is not in the repository',
  },
  { pattern: new RegExp(['TRUST', 'AND', 'SPEED'].join('-')), why: 'a research note that is not in the repository' },
  // The spec lives only under docs/: a bare name is the copy handed over beside the repository. A
  // relative markdown link inside docs/ ("](<name>#…") is fine.
  { pattern: new RegExp(`(?<![\\w/.-])(?<!\\]\\()(?:${md(['API', 'PRODUCT'])})`), why: 'the spec without docs/ (the handed-over copy)' },
];

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (statSync(full).isFile()) return TEXT.has(extname(full)) ? [path] : [];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : files(join(path, entry.name));
    return TEXT.has(extname(entry.name)) ? [join(path, entry.name)] : [];
  });
}

describe('citations of the spec', () => {
  const scanned = SCANNED.flatMap(files).filter((file) => !GENERATED.has(file));

  it('scans the whole tree', () => {
    expect(scanned.length).toBeGreaterThan(300);
    expect(scanned).toEqual(expect.arrayContaining(['docs/PRODUCT.md', 'docs/API.md', 'README.md']));
  });

  it('cite only files inside the repository (docs/PRODUCT.md, docs/API.md, ARCHITECTURE.md, docs/SECURITY.md, docs/SCALING.md)', () => {
    const found: string[] = [];
    for (const file of scanned) {
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const { pattern, why } of OUTSIDE) if (pattern.test(line)) found.push(`${file}:${i + 1}: ${why}: ${line.trim().slice(0, 160)}`);
        });
    }
    if (found.length > 0) {
      throw new Error(
        `${found.length} citation(s) of files outside the repository. Cite the section of docs/PRODUCT.md, docs/API.md, ARCHITECTURE.md, docs/SECURITY.md or docs/SCALING.md that states the rule (add it there if it is missing):\n${found.join('\n')}`,
      );
    }
  });
});
