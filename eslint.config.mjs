// Type-aware lint with zero warnings, and Nx module boundaries built from the project tags
// (ARCHITECTURE.md explains each rule).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import jestPlugin from 'eslint-plugin-jest';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import webBoundaries from './tools/eslint-web-boundaries.mjs';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.data/**', 'coverage/**', 'bench/results.json', '.nx/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'tools/*.mjs', 'bench/*.mjs', 'apps/*/test/*.mjs', 'apps/web/e2e/*.mjs', 'apps/web/vite.config.ts'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:content', 'type:report'] },
            { sourceTag: 'platform:browser', notDependOnLibsWithTags: ['platform:node'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:content', 'type:domain'] },
            { sourceTag: 'type:report', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:content'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:content'] },
            { sourceTag: 'type:content', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'platform:agnostic',
              bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'fastify', '@fastify/*', 'react', 'react-dom', 'pdfkit', 'nestjs-zod'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
      'no-console': 'off',
    },
  },
  {
    // Public APIs only (docs/SECURITY.md; issue 26): an upgrade of pg, TypeORM, Nest, Fastify or any
    // other library must not break us silently, so nothing reaches into their private members or
    // internal modules. A name of our own that starts with "_" is not worth the ambiguity either.
    files: ['**/*.{ts,tsx,mjs}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'MemberExpression[property.name=/^_[A-Za-z]/]', message: 'A private (underscore) member: use the library\'s published API instead.' },
        { selector: 'MemberExpression[property.name=/^(parsedStatements|master)$/]', message: 'A private member of pg or TypeORM: use the published API instead.' },
        {
          selector: 'ImportDeclaration[source.value=/^(@nestjs\\/[^/]+\\/helpers|pg\\/lib|typeorm\\/driver|fastify\\/lib|pg-pool\\/)/], ImportExpression[source.value=/^(@nestjs\\/[^/]+\\/helpers|pg\\/lib|typeorm\\/driver|fastify\\/lib)/]',
          message: 'An internal module of a library: import from its package entry point.',
        },
      ],
    },
  },
  {
    // Decorator-driven DI needs the class itself imported as a value for emitDecoratorMetadata.
    files: ['apps/api/src/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // The pure libraries stay runnable anywhere: no IO in their sources (tests may read fixtures).
    files: ['libs/scoring-engine/src/**/*.ts', 'libs/question-bank/src/**/*.ts', 'libs/contracts/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'crypto', 'child_process'], message: 'Pure libraries do no IO; take data as arguments.' }] }],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.browser-spec.ts', '**/*.test.ts', '**/*.test.tsx', 'apps/*/test/**/*.ts', 'apps/web/e2e/**/*.ts'],
    plugins: { jest: jestPlugin },
    languageOptions: { globals: { ...globals.jest } },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-identical-title': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // supertest bodies are untyped JSON; tests assert on them rather than parse every one.
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, web: webBoundaries },
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error', 'web/boundaries': 'error' },
  },
  prettier,
);
