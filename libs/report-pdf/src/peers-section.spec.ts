import { extractText, getDocumentProxy } from 'unpdf';

import { renderReport } from './render-report.js';
import { buildSampleReportModel } from './testing/report-model.builder.js';
import type { ReportModel } from './model.js';

async function text(pdf: Buffer): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text: pages } = await extractText(doc, { mergePages: true });
  return pages.replace(/\s+/g, ' ');
}

describe('the "You vs peers" block (docs/PRODUCT.md §16.4)', () => {
  it('prints the signed score against the cohort’s median and quartiles, with its size and date, and nothing when there is no comparison', async () => {
    const model: ReportModel = {
      ...buildSampleReportModel({ signed: true }),
      peers: {
        score: 64,
        signedAt: '2026-11-02T10:00:00Z',
        cohortLabel: 'file storage and sharing services, in the UK',
        bankVersion: '1.2',
        size: 14,
        computedAt: '2026-12-01T03:00:00Z',
        overall: { q1: 48, median: 57, q3: 71 },
        domains: [{ title: 'Governance and accountability', you: 70, q1: 40, median: 55, q3: 66 }],
      },
    };
    const printed = await text(await renderReport(model));
    expect(printed).toContain('You vs peers');
    expect(printed).toMatch(/Your latest signed score, 64 .* against file storage and sharing services, in the UK: median 57, middle half 48–71/);
    expect(printed).toMatch(/14 organisations that opted in, signed assessments on bank 1\.2/);
    const without = await text(await renderReport(buildSampleReportModel({ signed: true })));
    expect(without).not.toContain('You vs peers');
  });
});
