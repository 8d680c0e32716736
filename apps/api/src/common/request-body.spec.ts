import type { FastifyRequest } from 'fastify';

import { AppError } from './app-error.js';
import { forbiddenKeyPath, holdUnsupportedBody, parseJsonBody, RefusedBody } from './request-body.js';

function parse(text: string): unknown {
  let result: unknown;
  parseJsonBody({} as FastifyRequest, text, (error, body) => {
    if (error) throw error;
    result = body;
  });
  return result;
}

function refusal(text: string): { code: string; message: string; details: unknown } {
  const body = parse(text);
  if (!(body instanceof RefusedBody)) throw new Error(`expected a refusal for ${text}`);
  return { code: body.error.code, message: body.error.message, details: body.error.extra.details };
}

describe('the JSON body parser', () => {
  it('parses JSON as JSON.parse does, a byte-order mark included', () => {
    expect(parse('{"name":"Acme","tags":[1,{"a":null}]}')).toEqual({ name: 'Acme', tags: [1, { a: null }] });
    expect(parse('\ufeff{"a":1}')).toEqual({ a: 1 });
    // "constructor" and "prototype" as plain values are data, as secure-json-parse treats them.
    expect(parse('{"constructor":"x","prototype":{"a":1}}')).toEqual({ constructor: 'x', prototype: { a: 1 } });
  });

  it('holds valid JSON with a __proto__ key, at any depth and however escaped, as a forbidden field naming its path (400, not "invalid JSON")', () => {
    for (const [text, path] of [
      ['{"__proto__":{"isAdmin":true},"name":"x"}', '__proto__'],
      ['{"profile":{"facts":[{"__proto__":{}}]}}', 'profile.facts.0.__proto__'],
      ['{"a":{"\\u005f_proto__":1}}', 'a.__proto__'],
      ['{"a":{"\\u005F\\u005Fproto\\u005F\\u005F" : 1}}', 'a.__proto__'],
    ] as const) {
      expect({ text, ...refusal(text) }).toEqual({
        text,
        code: 'VALIDATION_FAILED',
        message: 'The body has a field no request may carry; remove it and send the request again.',
        details: [{ path, message: '"__proto__" is not allowed as a field name anywhere in a body; remove it.' }],
      });
    }
  });

  it('holds "constructor" holding "prototype" as a forbidden field too', () => {
    expect(refusal('{"x":{"constructor":{"prototype":{"isAdmin":true}}}}')).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'x.constructor.prototype', message: expect.stringMatching(/"constructor" holding "prototype" is not allowed/) }],
    });
  });

  it('holds text that is not JSON, and an empty body, as 400 saying where it broke without echoing the body', () => {
    const broken = refusal('{"name": SELECT * FROM users}');
    expect(broken.code).toBe('VALIDATION_FAILED');
    expect(broken.message).toBe('The body is not valid JSON. Check quotes, commas and brackets.');
    expect(JSON.stringify(broken)).not.toMatch(/SELECT/);
    expect(refusal('  ').message).toMatch(/^The body is empty/);
  });

  it('finds a forbidden key breadth first without recursing, however deep the body', () => {
    let deep: unknown = JSON.parse('{"__proto__":1}');
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(forbiddenKeyPath(deep)).toBe(`${'0.'.repeat(100_000)}__proto__`);
    expect(forbiddenKeyPath({ a: [{ b: 'c' }] })).toBeUndefined();
  });
});

describe('a body of a content type the API does not read', () => {
  it('is held as a 415 UNSUPPORTED_MEDIA_TYPE naming the type and what to send instead', () => {
    const held: unknown[] = [];
    for (const type of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', undefined, 'application/<script>'])
      holdUnsupportedBody({ headers: { 'content-type': type } } as FastifyRequest, Buffer.from('x'), (_e, body) => held.push(body));
    const errors = held.map((b) => (b as RefusedBody).error);
    expect(errors.every((e) => e instanceof AppError && e.code === 'UNSUPPORTED_MEDIA_TYPE' && e.status === 415)).toBe(true);
    expect(errors.map((e) => e.message)).toEqual([
      'Content-Type text/plain is not accepted here; send JSON with Content-Type: application/json.',
      'Content-Type application/x-www-form-urlencoded is not accepted here; send JSON with Content-Type: application/json.',
      'A body without a Content-Type is not accepted here; send JSON with Content-Type: application/json.',
      'This Content-Type is not accepted here; send JSON with Content-Type: application/json.',
    ]);
  });
});
