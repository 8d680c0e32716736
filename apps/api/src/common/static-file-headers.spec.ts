import { PREVIEW_FRAME_CSP, staticFileHeaders } from './security-headers.js';

/** The headers the built web app's files get (issue 24 §1: the sandboxed evidence preview frame). */
function headersFor(filePath: string): Record<string, string> {
  const set: Record<string, string> = {};
  staticFileHeaders({ header: (name, value) => (set[name] = value) }, filePath);
  return set;
}

const csp = (policy: string) => new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));

describe('staticFileHeaders', () => {
  it('gives the preview page a policy that lets only the app frame it and lets it connect nowhere, never cached', () => {
    expect(headersFor('/srv/web/dist/evidence-preview.html')).toEqual({ 'content-security-policy': PREVIEW_FRAME_CSP, 'cache-control': 'no-cache' });
    const policy = csp(PREVIEW_FRAME_CSP);
    expect(policy.get('frame-ancestors')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'none'"]);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('sandbox')).toEqual(['allow-scripts']);
    expect(PREVIEW_FRAME_CSP).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe-eval|allow-same-origin/);
  });

  it('lets any origin (the opaque-origin frame) read hashed scripts and styles, and nothing else', () => {
    expect(headersFor('/srv/web/dist/assets/evidence-preview-DfAYnNQV.js')).toEqual({ 'access-control-allow-origin': '*' });
    expect(headersFor('/srv/web/dist/assets/index-BlDGx_18.css')).toEqual({ 'access-control-allow-origin': '*' });
    expect(headersFor('/srv/web/dist/index.html')).toEqual({});
    expect(headersFor('/srv/web/dist/favicon.svg')).toEqual({});
    expect(headersFor('/srv/web/dist/assets/logo.svg')).toEqual({});
  });
});
