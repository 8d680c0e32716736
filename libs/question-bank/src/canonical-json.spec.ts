import fc from 'fast-check';

import { canonicalJson } from './canonical-json.js';

describe('canonical JSON (RFC 8785)', () => {
  it('writes the RFC’s own example: keys by UTF-16 code units, numbers as ECMAScript writes them', () => {
    const value = { numbers: [333333333.3333333, 1e30, 4.5, 0.002, 1e-27], string: '€$\u000f\nA\'B"\\\\"/', literals: [null, true, false] };
    expect(canonicalJson(value)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
    expect(canonicalJson({ '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '\u00f6': 4, '1': 5 })).toBe('{"\\r":2,"1":5,"ö":4,"€":1,"😀":3}');
  });

  it('is the same text whatever the key order, and reads back as the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { seed: 8785, numRuns: 300 },
    );
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a Date', new Date(0)],
    ['a Map', new Map([['a', 1]])],
    ['a class instance', new (class Money {})()],
    ['undefined in an array', [1, undefined]],
    ['a function', () => 1],
    ['a bigint', 1n],
    ['an unpaired surrogate in a string', 'a\ud800b'],
    ['an unpaired surrogate in a key', { ['\udc00']: 1 }],
  ])('refuses %s instead of writing something else', (_what, value) => {
    expect(() => canonicalJson({ nested: value })).toThrow(TypeError);
  });

  it('leaves out properties whose value is undefined, as JSON.stringify does', () => {
    expect(canonicalJson({ b: 1, a: undefined })).toBe('{"b":1}');
  });
});
