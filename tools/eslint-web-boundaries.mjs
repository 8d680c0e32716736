// The web app's folder boundaries (ARCHITECTURE.md, "Web app"), as one local ESLint rule: no plugin
// on the registry says "a feature reaches another only through its index.ts" for plain folders
// without a resolver and a settings block larger than this file.
//
// - Inside one area (a feature folder, or app, components, config, lib, testing, styles) imports are
//   relative; an import that leaves its area names it from the root: '@/lib/format'.
// - A feature imports another feature only through its public surface, '@/features/<name>'
//   (features/<name>/index.ts), never a file inside it.
// - The shared layers (components, config, lib) import no feature and not the app.
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../apps/web/src');
const SHARED = new Set(['components', 'config', 'lib']);

const areaOf = (rel) => {
  const parts = rel.split('/');
  return parts[0] === 'features' && parts.length > 1 ? `features/${parts[1]}` : parts[0];
};

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Web app folder boundaries: @/ across areas, features through their index.ts, shared layers import no feature' },
    schema: [],
  },
  create(context) {
    const rel = path.relative(SRC, context.filename).split(path.sep).join('/');
    // main.tsx, the entry, sits above every area and imports what it starts.
    if (rel.startsWith('..') || !rel.includes('/')) return {};
    const from = areaOf(rel);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string') return;
      let target;
      if (spec.startsWith('.')) {
        target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
        if (target.startsWith('..')) return;
        if (areaOf(target) !== from) {
          context.report({ node: node.source, message: `'${spec}' leaves ${from}: import it as '@/${target}'.` });
        }
        return;
      }
      if (!spec.startsWith('@/')) return;
      target = spec.slice(2);
      const to = areaOf(target);
      if (to === from) {
        context.report({ node: node.source, message: `'${spec}' is inside ${from}: import it relatively, as the rest of ${from} does.` });
      } else if (from.startsWith('features/') && to.startsWith('features/') && target !== to) {
        context.report({ node: node.source, message: `'${spec}' reaches inside ${to}: import from '@/${to}' and export what you need from ${to}/index.ts.` });
      } else if (SHARED.has(from) && (to.startsWith('features/') || to === 'app')) {
        context.report({ node: node.source, message: `${from} is shared by every feature and must not depend on ${to}: move what you need into ${from}, or pass it in.` });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { rules: { boundaries: rule } };
