type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Rewrites JSON Schema 2020-12 forms that zod 4 emits (and nestjs-zod's cleanup misses when they
 * are nested) into OpenAPI 3.0: `type: [T, "null"]` → `type: T, nullable: true`, a `{type: "null"}`
 * branch of anyOf/oneOf → `nullable`, and `const` → a one-value `enum`.
 */
export function toOpenApi30<T>(doc: T): T {
  const walk = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    if (Array.isArray(out['type'])) {
      const types = out['type'].filter((t) => t !== 'null');
      if (types.length < out['type'].length) out['nullable'] = true;
      out['type'] = types.length === 1 ? types[0]! : types;
    }
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = out[key];
      if (!Array.isArray(branches)) continue;
      const rest = branches.filter((b) => !(b !== null && typeof b === 'object' && !Array.isArray(b) && b['type'] === 'null'));
      if (rest.length === branches.length) continue;
      out['nullable'] = true;
      if (rest.length === 1 && rest[0] && typeof rest[0] === 'object' && !Array.isArray(rest[0]) && !('$ref' in rest[0])) {
        delete out[key];
        Object.assign(out, rest[0]);
      } else out[key] = rest;
    }
    if ('const' in out) {
      out['enum'] = [out['const']!];
      delete out['const'];
    }
    return out;
  };
  return walk(doc as Json) as T;
}
