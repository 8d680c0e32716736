import { formatDate } from '../format.js';
import { COLOR, type Layout } from '../layout.js';
import type { ReportModel } from '../model.js';

/**
 * "You vs peers" (docs/PRODUCT.md §16.4): the organisation's newest signed score against the finest
 * published cohort it belongs to, in whole points, medians and quartiles only, with the cohort's
 * size and date. Printed only when the model carries a comparison (the organisation takes part and a
 * cohort is published); a short block under the trend.
 */
export function renderPeers(layout: Layout, model: ReportModel): void {
  const peers = model.peers;
  if (!peers) return;
  layout.subheading('You vs peers', 90);
  layout.paragraph(
    `Your latest signed score, ${peers.score} (signed ${formatDate(peers.signedAt)}), against ${peers.cohortLabel}: median ${peers.overall.median}, middle half ${peers.overall.q1}–${peers.overall.q3}.`,
    { size: 9 },
  );
  if (peers.domains.length > 0) {
    layout.table(
      [
        { header: 'Domain', width: 200 },
        { header: 'You', width: 60, align: 'right' },
        { header: 'Peer median', width: 90, align: 'right' },
        { header: 'Middle half', width: 145.28, align: 'right' },
      ],
      peers.domains.map((d) => [d.title, d.you === null ? '—' : String(d.you), String(d.median), `${d.q1}–${d.q3}`]),
      { size: 7.5 },
    );
  }
  layout.paragraph(
    `${peers.size} organisations that opted in, signed assessments on bank ${peers.bankVersion}, computed ${formatDate(peers.computedAt)}. Cohorts have at least 10 organisations and are never published where two would differ by fewer than 10.`,
    { size: 8, color: COLOR.muted },
  );
}
