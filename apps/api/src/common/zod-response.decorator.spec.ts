import { z } from 'zod';

import { replySerializer, SerializedBody, serializeResponse } from './zod-response.decorator.js';

const Schema = z.object({ id: z.string(), score: z.number() });

describe('route responses', () => {
  it('parse through the declared schema, dropping what it does not name, and refuse what does not fit', () => {
    expect(serializeResponse(Schema, { id: 'a', score: 1, secret: 'x' })).toEqual({ id: 'a', score: 1 });
    expect(() => serializeResponse(Schema, { id: 'a' })).toThrow();
  });

  it('pass a body already serialized through the same schema as it is, and refuse one serialized through another', () => {
    const body = new SerializedBody(Schema, '{"id":"a","score":1}');
    expect(serializeResponse(Schema, body)).toBe(body);
    expect(() => serializeResponse(z.object({ id: z.string() }), body)).toThrow(/another schema/);
  });

  it('go on the wire as the serialized text, or as JSON for anything else', () => {
    expect(replySerializer(new SerializedBody(Schema, '{"id":"a","score":1}'))).toBe('{"id":"a","score":1}');
    expect(replySerializer({ id: 'a', score: 1 })).toBe('{"id":"a","score":1}');
  });
});
