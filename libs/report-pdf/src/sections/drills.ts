import { formatDate } from '../format.js';
import { COLOR, type Layout } from '../layout.js';
import type { ReportModel } from '../model.js';

/**
 * Incident drills held in the period (docs/PRODUCT.md §15.8): scenario, date, the facilitator's role,
 * the outcome in one line and the record's SHA-256, which public verification recognises. Printed
 * after the trend; nothing for a model stored before drills were reported.
 */
export function renderDrills(layout: Layout, model: ReportModel): void {
  const drills = model.drills;
  if (!drills) return;
  layout.subheading('Incident drills held in the period', 60);
  if (drills.length === 0) {
    layout.paragraph('No incident drill was finished in the period. ENT-05 asks for the discovery playbook to be exercised at least yearly.', { size: 9 });
    return;
  }
  layout.table(
    [
      { header: 'Scenario', width: 130 },
      { header: 'Finished', width: 58 },
      { header: 'Facilitator', width: 57 },
      { header: 'Outcome', width: 150 },
      { header: 'Record SHA-256', width: 100.28 },
    ],
    drills.map((d) => [d.scenario, formatDate(d.finishedAt), d.facilitatorRole, d.outcome, d.recordSha256 ?? '—']),
    { size: 7 },
  );
  layout.paragraph('Each record is a signed PDF kept as exercise evidence; anyone holding it can check it at the verify page by its SHA-256.', { size: 8, color: COLOR.muted });
}
