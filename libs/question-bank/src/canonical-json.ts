/**
 * Canonical JSON per RFC 8785 (JCS), the one implementation every hash and signature in the product
 * uses (bank content hashes, audit chain, report manifests and models, results.json): object keys
 * sorted by UTF-16 code units, no whitespace, numbers and strings as ECMAScript's JSON.stringify
 * writes them. Like the RFC, it accepts only I-JSON data and refuses the rest rather than guessing:
 * non-finite numbers (JSON.stringify would write null), strings or keys with unpaired surrogates,
 * and anything that is not a plain object, array, string, number, boolean or null (a Date, Map or
 * class instance would otherwise hash as whatever its enumerable fields happen to be). A property
 * whose value is undefined is left out, as JSON.stringify leaves it out.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Cannot canonicalise the number ${value}: JSON has no form for it.`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalJson(item)).join(',')}]`;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        throw new TypeError(`Cannot canonicalise a ${name}: convert it to plain JSON data first (a Date to its ISO string, a Map to an object).`);
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${jsonString(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    case 'undefined':
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new TypeError(`Cannot canonicalise a ${typeof value}: content must be plain JSON data.`);
  }
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function jsonString(text: string): string {
  if (UNPAIRED_SURROGATE.test(text)) throw new TypeError('Cannot canonicalise a string with an unpaired surrogate: it is not valid Unicode (RFC 8785 needs I-JSON).');
  return JSON.stringify(text);
}
