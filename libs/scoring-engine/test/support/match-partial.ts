/**
 * Differences between `actual` and a hand-written partial `expected`: objects match on the keys
 * given, arrays element by element, numbers to within `tolerance` (fixtures write results to 4 d.p.).
 */
export function partialMismatches(actual: unknown, expected: unknown, path = '$', tolerance = 0.00051): string[] {
  if (typeof expected === 'number') {
    return typeof actual === 'number' && Math.abs(actual - expected) <= tolerance
      ? []
      : [`${path}: expected ${expected}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
    }
    return expected.flatMap((e, i) => partialMismatches(actual[i], e, `${path}[${i}]`, tolerance));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const a = actual as Record<string, unknown>;
    return Object.entries(expected).flatMap(([k, e]) => partialMismatches(a[k], e, `${path}.${k}`, tolerance));
  }
  return Object.is(actual, expected) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
