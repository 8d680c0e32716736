import { evidenceOpenWay, ReviewEvidenceBatchRequestSchema } from './evidence.js';

describe('evidenceOpenWay', () => {
  it('calls an upload a file, whatever its externalRef', () => {
    expect(evidenceOpenWay({ source: 'file', externalRef: null })).toBe('file');
  });

  it('calls an external http(s) URL a link, in any letter case', () => {
    expect(evidenceOpenWay({ source: 'external', externalRef: 'https://intranet.example.com/policies/hash-matching.pdf' })).toBe('link');
    expect(evidenceOpenWay({ source: 'external', externalRef: 'HTTP://dms.example.com/4711' })).toBe('link');
  });

  it('calls a document id in the customer’s own system a reference', () => {
    expect(evidenceOpenWay({ source: 'external', externalRef: 'DMS-4711' })).toBe('reference');
    expect(evidenceOpenWay({ source: 'external', externalRef: 'sharepoint:policies/hash-matching' })).toBe('reference');
    expect(evidenceOpenWay({ source: 'external', externalRef: null })).toBe('reference');
  });

  it('never calls an unparseable or non-http URL a link', () => {
    expect(evidenceOpenWay({ source: 'external', externalRef: 'https://' })).toBe('reference');
    expect(evidenceOpenWay({ source: 'external', externalRef: 'javascript://alert(1)' })).toBe('reference');
  });
});

describe('ReviewEvidenceBatchRequestSchema', () => {
  const a = '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c';
  const b = '4f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c';

  it('takes 1..100 unique ids and a decision', () => {
    expect(ReviewEvidenceBatchRequestSchema.safeParse({ evidenceIds: [a, b], decision: 'accept' }).success).toBe(true);
    expect(ReviewEvidenceBatchRequestSchema.safeParse({ evidenceIds: [], decision: 'accept' }).success).toBe(false);
    expect(ReviewEvidenceBatchRequestSchema.safeParse({ evidenceIds: [a, a.toUpperCase()], decision: 'accept' }).success).toBe(false);
  });

  it('needs a reason to reject', () => {
    const parsed = ReviewEvidenceBatchRequestSchema.safeParse({ evidenceIds: [a], decision: 'reject' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['reason']);
  });
});
