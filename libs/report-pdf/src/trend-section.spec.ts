import { extractText, getDocumentProxy } from 'unpdf';

import type { DomainMovement } from '@hoh/scoring-engine';

import { renderReport } from './render-report.js';
import { buildSampleReportModel } from './testing/report-model.builder.js';
import type { ReportModel } from './model.js';

// Issue 24: the draft report's trend said "Improved" for a change of 0 and printed a reset N/A
// approval as a deterioration. The section now prints the engine's movements as computed.

async function trendPage(pdf: Buffer): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(doc, { mergePages: false });
  const page = text.find((p) => p.includes('Trend against earlier assessments'));
  if (!page) throw new Error('no trend page');
  return page.replace(/\s+/g, ' ');
}

const move = (domainId: string, title: string, before: number, after: number, delta: number, direction: DomainMovement['direction'], resets: string[] = []): DomainMovement => ({
  domainId,
  title,
  before,
  after,
  delta,
  direction,
  changedQuestionIds: direction === 'review_reset' ? [] : [`${domainId}-01`],
  reviewResetQuestionIds: resets,
});

function withComparison(): ReportModel {
  const model = buildSampleReportModel({ signed: false });
  const prev = model.trend.at(-1)!;
  const domains = [
    move('GOV', 'Governance and accountability', 60.2, 59.9, 0, 'unchanged'),
    move('HASH', 'Known-CSAM detection (hash matching)', 50, 44, -6, 'review_reset', ['HASH-03']),
    move('RA', 'Risk assessment and applicability', 40, 55, 15, 'improved'),
  ];
  return {
    ...model,
    trend: model.trend.map((p) => ({ ...p, label: p === prev ? '2026' : p.label, bankVersion: model.bank.version })),
    assessment: { ...model.assessment, periodLabel: '2027' },
    comparison: {
      previousLabel: '2026',
      sameBank: true,
      overall: { before: 50, after: 48, delta: -2, direction: 'review_reset', reviewResetQuestionIds: ['HASH-03'] },
      domains,
    },
  };
}

describe('the report’s trend section prints the engine’s movements', () => {
  it('calls a change of 0 unchanged (never "Improved"), and a reset N/A approval a review reset, not a deterioration', async () => {
    const text = await trendPage(await renderReport(withComparison()));
    expect(text).not.toMatch(/Improved · GOV/);
    expect(text).toMatch(/Unchanged since 2026: GOV/);
    expect(text).toMatch(/Review reset \(answers unchanged\) · HASH/);
    expect(text).not.toMatch(/Deteriorated · HASH/);
    expect(text).toMatch(/HASH-03 is an N\/A carried over from 2026 and awaiting approval again/);
    expect(text).toMatch(/Improved · RA/);
    // The current point is labelled by its period, and its overall change by its cause.
    expect(text).toMatch(/This \(2027\)/);
    expect(text).toMatch(/[-−]2 \(review reset\)/);
  });

  it('without the engine’s comparison, still never labels a change of 0 as improved', async () => {
    const model = buildSampleReportModel({ signed: false });
    const prev = model.trend.at(-1)!;
    const same = { ...model, comparison: null, trend: model.trend.map((p) => (p === prev ? { ...p, bankVersion: model.bank.version, domainScores: Object.fromEntries(model.domains.map((d) => [d.domainId, d.score])) } : p)) };
    const text = await trendPage(await renderReport(same));
    expect(text).not.toMatch(/Improved ·/);
    expect(text).not.toMatch(/Deteriorated ·/);
    expect(text).toMatch(/Unchanged since/);
  });
});
