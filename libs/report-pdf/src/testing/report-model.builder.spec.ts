import type { ReportModel } from '../model.js';
import { buildSampleReportModel, buildStressReportModel } from './report-model.builder.js';

// The builder draws answers at random and lets the scoring engine score them, so its models hold
// together the way an issued report's do. These checks use plain arithmetic on the model itself.
const models: [string, ReportModel][] = [
  ['sample', buildSampleReportModel()],
  ['draft sample', buildSampleReportModel({ signed: false })],
  ['stress', buildStressReportModel()],
];

describe.each(models)('the %s test model', (_name, model) => {
  it('gives each domain the weighted mean of its included effective levels, and overall the mean of domains', () => {
    const scored: number[] = [];
    for (const d of model.domains) {
      const included = model.questions.filter((q) => q.domainId === d.domainId && q.included);
      if (included.length === 0) {
        expect(d.score).toBeNull();
        continue;
      }
      const weights = included.reduce((s, q) => s + q.weight, 0);
      const expected = (included.reduce((s, q) => s + q.weight * (q.effectiveLevel ?? 0), 0) * 25) / weights;
      expect(d.score).toBeCloseTo(expected, 10);
      scored.push(expected);
    }
    expect(model.summary.score).toBeCloseTo(scored.reduce((a, b) => a + b, 0) / scored.length, 10);
  });

  it('never shows a claim of 3+ counting at 3+ without counting evidence, nor a maturity 4 without counting metrics', () => {
    for (const q of model.questions) {
      const counting = q.evidence.filter((e) => e.counts);
      if ((q.effectiveLevel ?? 0) >= 3) expect(counting.length).toBeGreaterThan(0);
      if (q.effectiveLevel === 4 && q.scale === 'maturity') expect(counting.some((e) => e.kind === 'metrics')).toBe(true);
      for (const e of counting) expect(e.status).toBe('accepted');
    }
  });

  it('caps the band to red for a critical question at level 1 or below, and shows evidence caps', () => {
    const redCap = model.questions.some((q) => q.included && q.critical && (q.effectiveLevel ?? 0) <= 1);
    if (redCap) expect(model.summary.band).toBe('red');
    expect(model.questions.some((q) => q.capReason !== 'none')).toBe(true);
  });

  it('rates an action P1 exactly when one of its questions is critical and below target', () => {
    const byId = new Map(model.questions.map((q) => [q.questionId, q]));
    for (const a of model.actions) {
      const critical = a.questionIds.some((id) => byId.get(id)?.critical === true && (byId.get(id)?.gap ?? 0) > 0);
      expect(a.priority === 'p1').toBe(critical);
    }
  });
});
