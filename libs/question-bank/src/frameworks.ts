import hohCsam100 from '../content/hoh-csam/1.0.0/framework.json' with { type: 'json' };
import hohCsam110 from '../content/hoh-csam/1.1.0/framework.json' with { type: 'json' };
import hohCsam120 from '../content/hoh-csam/1.2.0/framework.json' with { type: 'json' };
import { FrameworkSchema } from './schema.js';
import type { Framework } from './schema.js';

export interface FrameworkRef {
  id: string;
  version: string;
}

export interface FrameworkSummary extends FrameworkRef {
  title: string;
  publishedAt: string;
  regulationSnapshotDate: string;
  domainCount: number;
  questionCount: number;
}

/** The version new assessments start on. Older versions stay loadable so old scores reproduce. */
export const CURRENT_FRAMEWORK = { id: 'hoh-csam', version: '1.2.0' } as const satisfies FrameworkRef;

/**
 * Validates framework content and returns it deeply frozen. Throws with every problem listed, so
 * a content author can fix them in one pass.
 */
export function parseFramework(data: unknown, source = 'framework content'): Framework {
  const result = FrameworkSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  - ${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
      .join('\n');
    throw new Error(`Invalid ${source}; fix these and reload:\n${problems}`);
  }
  return deepFreeze(result.data);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    const children: unknown[] = Object.values(value);
    children.forEach((child) => deepFreeze(child));
    Object.freeze(value);
  }
  return value;
}

function load(data: unknown, expected: FrameworkRef): Framework {
  const framework = parseFramework(data, `content/${expected.id}/${expected.version}/framework.json`);
  if (framework.id !== expected.id || framework.version !== expected.version) {
    throw new Error(
      `content/${expected.id}/${expected.version}/framework.json declares ${framework.id}@${framework.version}; ` +
        'make the id and version match the folder it lives in.',
    );
  }
  return framework;
}

// Frozen content is shared by every caller, validated on first use (frameworks.spec.ts validates every
// published version in every test run). Not at module load: a module-level call is a side effect
// bundlers must keep, and it put the whole bank and its validation into the web app's first
// script, which never uses it (the web reads frameworks from the API).
let registry: readonly Framework[] | undefined;
const registered = (): readonly Framework[] =>
  (registry ??= [
    load(hohCsam100, { id: 'hoh-csam', version: '1.0.0' }),
    load(hohCsam110, { id: 'hoh-csam', version: '1.1.0' }),
    load(hohCsam120, { id: 'hoh-csam', version: '1.2.0' }),
  ]);

export function listFrameworks(): FrameworkSummary[] {
  return registered().map((f) => ({
    id: f.id,
    version: f.version,
    title: f.title,
    publishedAt: f.publishedAt,
    regulationSnapshotDate: f.regulationSnapshotDate,
    domainCount: f.domains.length,
    questionCount: f.questions.length,
  }));
}

export function getFramework(id: string, version: string): Framework | undefined {
  return registered().find((f) => f.id === id && f.version === version);
}

export function getCurrentFramework(): Framework {
  const framework = getFramework(CURRENT_FRAMEWORK.id, CURRENT_FRAMEWORK.version);
  if (framework === undefined) {
    throw new Error(
      `CURRENT_FRAMEWORK ${CURRENT_FRAMEWORK.id}@${CURRENT_FRAMEWORK.version} is not registered; add it to registered() in frameworks.ts.`,
    );
  }
  return framework;
}
