import path from 'node:path';

import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
const lib = (name: string): string => path.resolve(root, `../../libs/${name}/src/index.ts`);

/**
 * The signed-in landing page (the app shell and the overview) is split into lazy route chunks, so
 * the browser only found them once the main bundle had run, 800–1,000 ms into a cold load here,
 * and the largest paint (the overview's header) waited on them (web.lcp.ms, issue 9). Preloading
 * them, with everything they import, from the HTML lets them download and compile while the main
 * bundle runs. Other routes stay lazy.
 */
function preloadLandingRoute(modules: string[]): Plugin {
  return {
    name: 'hoh-preload-landing-route',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        // Only the app's page: the evidence preview frame (evidence-preview.html) loads nothing of the app.
        if (!ctx.path.endsWith('/index.html')) return html;
        const chunks = Object.values(ctx.bundle ?? {}).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const files = new Set<string>();
        const add = (file: string): void => {
          if (files.has(file)) return;
          files.add(file);
          for (const dep of byFile.get(file)?.imports ?? []) add(dep);
        };
        for (const module of modules) {
          const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(module));
          if (!chunk) throw new Error(`preloadLandingRoute: no chunk for ${module}`);
          add(chunk.fileName);
        }
        // The entry and its static imports are already in the HTML.
        const tags = [...files].filter((f) => !html.includes(f)).map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const }));
        return { html, tags };
      },
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), preloadLandingRoute(['src/app/routes/app/root.tsx', 'src/app/routes/app/overview.tsx'])],
  resolve: {
    // Point at the libs' TypeScript sources rather than their built dist, so the web build never
    // depends on the libs having been compiled first. Exact-match regexes keep `@hoh/contracts-x`
    // (should one ever exist) from being rewritten by prefix.
    alias: [
      // The app's own root (tsconfig "paths" says the same): '@/lib/format' from any depth, so a
      // file's imports say which area they reach into (features' boundaries: eslint.config.mjs).
      { find: /^@\//, replacement: `${path.resolve(root, 'src')}/` },
      { find: /^@hoh\/contracts$/, replacement: lib('contracts') },
      { find: /^@hoh\/scoring-engine$/, replacement: lib('scoring-engine') },
      { find: /^@hoh\/question-bank$/, replacement: lib('question-bank') },
    ],
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  build: {
    outDir: path.resolve(root, 'dist'),
    emptyOutDir: true,
    rollupOptions: {
      // A second page: the sandboxed PDF preview frame with pdf.js (issue 24 §1). It shares no code
      // with the app, so pdf.js never enters the initial JS; it loads only when a preview opens.
      input: { index: path.resolve(root, 'index.html'), 'evidence-preview': path.resolve(root, 'evidence-preview.html') },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
    // npm test runs these beside the browser specs: a screen test that takes 2 s alone can pass 5 s
    // there (vitest's default limit); a test that hangs still fails, after 15 s.
    testTimeout: 15_000,
    setupFiles: ['src/testing/setup-tests.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    // One jsdom per worker instead of one per file: 71 → 17 s on the CI machine's 2 cores (the
    // environment set-up was 24 s of it), with every file passing in shuffled orders. Safe because
    // each test makes its own query client and render, and mocks and stubbed globals are restored
    // after each test (the two lines above).
    isolate: false,
  },
});
