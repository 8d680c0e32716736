import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('V8 flags of the API and worker processes', () => {
  let flags: string[] = [];

  beforeAll(async () => {
    // The repo scripts' plain-JavaScript helpers: loaded at run time, not a module dependency of the API.
    ({ API_NODE_FLAGS: flags } = (await import(pathToFileURL(join(root, 'tools/lib.mjs')).href)) as { API_NODE_FLAGS: string[] });
  });

  it('are set at all (the benches measure the API with them)', () => {
    expect(flags.length).toBeGreaterThan(0);
  });

  it('are the ones npm start runs with', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start'];
    expect(start).toBe(`node ${flags.join(' ')} tools/start.mjs`);
  });

  it('are the ones the container image and the docker-compose worker run with', () => {
    const quoted = (q: string) => flags.map((f) => `${q}${f}${q}`).join(', ');
    expect(read('Dockerfile')).toContain(`CMD ["node", ${quoted('"')}, "apps/api/dist/apps/api/src/main.js"]`);
    expect(read('docker-compose.yml')).toContain(`command: ['node', ${quoted("'")}, 'apps/api/dist/apps/api/src/worker.js']`);
  });
});
