import { extractText, getDocumentProxy } from 'unpdf';
import { renderReport } from './render-report.js';
import { buildSampleReportModel } from './testing/report-model.builder.js';
import type { ReportModel } from './model.js';

async function text(pdf: Buffer): Promise<string> {
  const { text: pages } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
  return pages.replace(/\s+/g, ' ');
}

describe('exposure map: an obligation no question covers', () => {
  it('says "No question covers this yet" instead of showing zero controls as if nothing were missing', async () => {
    const base = buildSampleReportModel();
    const model: ReportModel = {
      ...base,
      exposure: [
        ...base.exposure,
        { regime: 'uk-cja-1988', id: 's.160', title: 'Possession of an indecent photograph of a child', verified: false, applies: true, reason: 'Applies: serves UK' },
        { regime: 'uk-osa', id: 's.214A', title: 'Power to restrict children’s access', verified: true, applies: false, reason: 'Not in force' },
      ],
    };
    const all = await text(await renderReport(model));
    expect(all).toContain('Applies: serves UK. No question covers this yet.');
    expect(all).not.toMatch(/Not in force\. No question covers this yet/);
  });
});
