import mammoth from 'mammoth';
import { extractText, getDocumentProxy } from 'unpdf';

import type { ReportModel } from './model.js';
import { renderBoardPackDocx } from './office/board-pack-docx.js';
import { renderReport } from './render-report.js';
import { buildSampleReportModel } from './testing/report-model.builder.js';

async function text(pdf: Buffer): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text: pages } = await extractText(doc, { mergePages: true });
  return pages.replace(/\s+/g, ' ');
}

describe('incident drills in the board pack (docs/PRODUCT.md §15.8)', () => {
  it('lists each drill held in the period with its date, facilitator role, outcome and record hash; says when none was held; prints nothing for older models', async () => {
    const sha = 'ab'.repeat(32);
    const model: ReportModel = {
      ...buildSampleReportModel({ signed: true }),
      drills: [
        {
          scenario: 'A laptop handed in for repair',
          finishedAt: '2026-05-14T10:20:00Z',
          facilitatorRole: 'Assessor',
          outcome: '2 as expected, 1 missed; escalation at 4 min, isolation at 9 min, report decision not reached; 1 follow-up',
          recordSha256: sha,
        },
      ],
    };
    const printed = await text(await renderReport(model));
    expect(printed).toContain('Incident drills held in the period');
    expect(printed).toContain('A laptop handed in for repair');
    expect(printed).toMatch(/Assessor/);
    expect(printed).toMatch(/report decision not reached/);
    expect(printed.replace(/ /g, '')).toContain(sha);
    const none = await text(await renderReport({ ...buildSampleReportModel({ signed: true }), drills: [] }));
    expect(none).toContain('No incident drill was finished in the period');
    const older = await text(await renderReport(buildSampleReportModel({ signed: true })));
    expect(older).not.toContain('Incident drills held in the period');
  });

  it('lists them in the editable DOCX copy too', async () => {
    const model: ReportModel = {
      ...buildSampleReportModel({ signed: true }),
      drills: [{ scenario: 'A livestream report', finishedAt: '2026-05-14T10:20:00Z', facilitatorRole: 'Owner', outcome: 'no decision rated; 0 follow-ups', recordSha256: 'cd'.repeat(32) }],
    };
    const docx = await renderBoardPackDocx(model, { reportId: model.reportId, pdfSha256: 'ef'.repeat(32), issuedAt: model.issuedAt });
    const { value } = await mammoth.extractRawText({ buffer: docx });
    expect(value).toContain('Incident drills held in the period');
    expect(value).toContain('A livestream report');
    expect(value).toContain('cd'.repeat(32));
  });
});
