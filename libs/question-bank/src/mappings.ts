import hohCsam100To110 from '../content/hoh-csam/mappings/1.0.0_to_1.1.0.json' with { type: 'json' };
import hohCsam110To120 from '../content/hoh-csam/mappings/1.1.0_to_1.2.0.json' with { type: 'json' };
import { BankMappingSchema, type BankMapping, type Framework } from './schema.js';

// The published migrations between bank versions (content/<framework>/mappings/), validated on
// first use like the frameworks (and in every test run by the bank's specs). Only adjacent
// versions have one; an upgrade across several goes through each in turn (docs/PRODUCT.md §3.4).
const SOURCES: readonly { frameworkId: string; from: string; to: string; data: unknown }[] = [
  { frameworkId: 'hoh-csam', from: '1.0.0', to: '1.1.0', data: hohCsam100To110 },
  { frameworkId: 'hoh-csam', from: '1.1.0', to: '1.2.0', data: hohCsam110To120 },
];

let registry: readonly BankMapping[] | undefined;
const registered = (): readonly BankMapping[] =>
  (registry ??= SOURCES.map(({ frameworkId, from, to, data }) => {
    const mapping = BankMappingSchema.parse(data);
    if (mapping.frameworkId !== frameworkId || mapping.from !== from || mapping.to !== to) {
      throw new Error(`content/${frameworkId}/mappings/${from}_to_${to}.json declares ${mapping.frameworkId} ${mapping.from} → ${mapping.to}; make it match its file name.`);
    }
    return Object.freeze(mapping);
  }));

/** The published mapping from one version to another of a framework, if there is one. */
export function getMapping(frameworkId: string, from: string, to: string): BankMapping | undefined {
  return registered().find((m) => m.frameworkId === frameworkId && m.from === from && m.to === to);
}

/** Every published mapping of a framework, oldest first. */
export function listMappings(frameworkId: string): { from: string; to: string }[] {
  return registered()
    .filter((m) => m.frameworkId === frameworkId)
    .map(({ from, to }) => ({ from, to }));
}

/** The version a published mapping leads to from `version` (the next step up), or null on the newest. */
export function nextPublishedVersion(frameworkId: string, version: string): string | null {
  return registered().find((m) => m.frameworkId === frameworkId && m.from === version)?.to ?? null;
}

/** Each question's references as "regime id", for saying where a new version corrected them (bankChanges). */
export function referenceKeys(framework: Framework): Record<string, string[]> {
  return Object.fromEntries(framework.questions.map((q) => [q.id, q.references.map((r) => `${r.regime} ${r.id}`)]));
}

/** The published steps from one version up to another, in order; empty when `to` cannot be reached from `from`. */
export function publishedSteps(frameworkId: string, from: string, to: string): BankMapping[] {
  const steps: BankMapping[] = [];
  for (let at = from; at !== to; ) {
    const next = nextPublishedVersion(frameworkId, at);
    const mapping = next === null ? undefined : getMapping(frameworkId, at, next);
    if (!mapping || next === null) return [];
    steps.push(mapping);
    at = next;
  }
  return steps;
}
