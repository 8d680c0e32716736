// Writes docs/API.md §6 (the route table) from the live app's route declarations: it runs the
// api-doc e2e test in write mode, which boots the app on an embedded PostgreSQL, reads the OpenAPI
// document and each route's @Public / @Authenticated / @OrgAccess declaration, and replaces the text
// between the routes:start and routes:end markers. Without write mode the same test fails whenever
// the table and the code disagree.
//
//   node tools/api-routes.mjs
import { join } from 'node:path';

import { root, run } from './lib.mjs';

const code = await run(
  process.execPath,
  ['--experimental-vm-modules', join(root, 'node_modules/jest/bin/jest.js'), '--ci', 'apps/api/test/docs/api-doc.e2e-spec.ts', '--selectProjects', 'api-e2e'],
  { cwd: root, env: { ...process.env, HOH_WRITE_API_ROUTES: '1', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --no-warnings=ExperimentalWarning`.trim() } },
);
if (code === 0) console.log('docs/API.md §6 now matches the code; review the diff and commit it.');
process.exit(code);
