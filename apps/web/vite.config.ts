import path from 'node:path';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
const lib = (name: string): string => path.resolve(root, `../../libs/${name}/src/index.ts`);

export default defineConfig({
  root,
  plugins: [react()],
  resolve: {
    // Point at the libs' TypeScript sources rather than their built dist, so the web build never
    // depends on the libs having been compiled first. Exact-match regexes keep `@hoh/contracts-x`
    // (should one ever exist) from being rewritten by prefix.
    alias: [
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
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
    setupFiles: ['src/testing/setup-tests.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
