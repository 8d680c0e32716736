/// <reference lib="dom" />
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { AxeResults, ImpactValue } from 'axe-core';
import type { Page } from 'playwright-core';

// The engine's own bundle, injected into the page: nothing is fetched, and the page under test is
// the production build exactly as a user gets it.
const AXE_SOURCE = readFileSync(resolve(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8');
const summaryFile = resolve(process.cwd(), 'test-results/axe-summary.json');

type Counts = Record<NonNullable<ImpactValue>, number>;
const seen = new Map<string, Counts>();

interface Finding {
  id: string;
  impact: ImpactValue | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules plus best practices) on what the page shows now,
 * records the per-impact counts under `screen`, and fails on any serious or critical violation,
 * naming the rule and the elements so the fix is obvious from the test output.
 */
export async function expectAccessible(page: Page, screen: string): Promise<Counts> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  // Evaluated through the DevTools protocol rather than as a <script> tag: the app's CSP
  // (script-src 'self') rightly blocks inline scripts, and it must stay on while we audit.
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const findings = await page.evaluate(async (): Promise<Finding[]> => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe;
    const results = await axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  const counts: Counts = { minor: 0, moderate: 0, serious: 0, critical: 0 };
  for (const f of findings) if (f.impact) counts[f.impact] += 1;
  seen.set(screen, counts);
  writeSummary();
  const blocking = findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
  if (blocking.length > 0) {
    const lines = blocking.map((f) => `${f.impact ?? ''} ${f.id}: ${f.help}\n    at ${f.targets.join('\n    at ')}`);
    throw new Error(`axe-core: ${blocking.length} serious/critical violation(s) on "${screen}":\n  ${lines.join('\n  ')}`);
  }
  return counts;
}

function writeSummary(): void {
  mkdirSync(join(summaryFile, '..'), { recursive: true });
  let previous: Record<string, Counts> = {};
  try {
    previous = JSON.parse(readFileSync(summaryFile, 'utf8')) as Record<string, Counts>;
  } catch {
    // first screen of the run
  }
  writeFileSync(summaryFile, JSON.stringify({ ...previous, ...Object.fromEntries(seen) }, null, 2));
}

/** One line per screen audited in this file, for the test log (violations by impact). */
export function axeReport(): string {
  const rows = [...seen].map(([screen, c]) => `  ${screen.padEnd(34)} critical ${c.critical}  serious ${c.serious}  moderate ${c.moderate}  minor ${c.minor}`);
  return `axe-core, violations per screen:\n${rows.join('\n')}`;
}
