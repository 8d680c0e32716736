import { z } from 'zod';

import watchData from '../content/regulation-watch.json' with { type: 'json' };

/**
 * The regulation watch (docs/PRODUCT.md §3.9): a dated register of the regulatory texts the bank
 * follows, each with when it was last checked and what changed, versioned on its own so it can be
 * updated between bank versions. Each bank version names the entries it was checked against; what
 * changed after its regulation snapshot date is what the organisation's bank does not yet reflect.
 */

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Dates in the register are YYYY-MM-DD.');

const WatchEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(10),
    publisher: z.string().min(2),
    url: z.url(),
    lastChecked: IsoDate,
    /** `pending`: proposed or not commenced, no duty yet (no measure ids to cite). */
    status: z.enum(['in_force', 'pending']),
    changes: z.array(z.object({ on: IsoDate, summary: z.string().min(10) }).strict()),
  })
  .strict();

export const RegulationWatchSchema = z
  .object({
    version: IsoDate,
    note: z.string(),
    entries: z.array(WatchEntrySchema).min(1),
    banks: z.array(z.object({ frameworkId: z.string(), version: z.string(), checkedAgainst: z.array(z.string()).min(1) }).strict()),
  })
  .strict()
  .superRefine((w, ctx) => {
    const ids = new Set(w.entries.map((e) => e.id));
    w.banks.forEach((b, i) =>
      b.checkedAgainst.forEach((id, j) => {
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['banks', i, 'checkedAgainst', j], message: `${id} is not an entry of the register.` });
      }),
    );
  });
export type RegulationWatch = z.infer<typeof RegulationWatchSchema>;
export type WatchEntry = z.infer<typeof WatchEntrySchema>;

let parsed: RegulationWatch | undefined;
/** The register, validated on first use (and by its spec in every test run). */
export function regulationWatch(): RegulationWatch {
  return (parsed ??= RegulationWatchSchema.parse(watchData));
}

export interface WatchForBank {
  /** The register's own version (its date). */
  registerVersion: string;
  /** The bank's regulation snapshot: texts were read up to this date. */
  checkedUpTo: string;
  /** Watched texts with a change after the snapshot, newest change first: the bank does not reflect them yet. */
  changedSince: { id: string; title: string; url: string; on: string; summary: string }[];
  /** Watched texts still pending (proposals, uncommenced powers): no duty yet, watched for the next version. */
  pending: { id: string; title: string; url: string; lastChecked: string }[];
}

/** What the watch says about one bank version, given its regulation snapshot date. */
export function watchForBank(frameworkId: string, version: string, regulationSnapshotDate: string): WatchForBank {
  const watch = regulationWatch();
  const checked = new Set(watch.banks.find((b) => b.frameworkId === frameworkId && b.version === version)?.checkedAgainst ?? []);
  // A text the bank was never checked against counts as changed since, from its first recorded change.
  const changedSince = watch.entries
    .flatMap((e) =>
      e.changes
        .filter((c) => c.on > regulationSnapshotDate || !checked.has(e.id))
        .map((c) => ({ id: e.id, title: e.title, url: e.url, on: c.on, summary: c.summary })),
    )
    .sort((a, b) => b.on.localeCompare(a.on) || a.id.localeCompare(b.id));
  const pending = watch.entries.filter((e) => e.status === 'pending').map((e) => ({ id: e.id, title: e.title, url: e.url, lastChecked: e.lastChecked }));
  return { registerVersion: watch.version, checkedUpTo: regulationSnapshotDate, changedSince, pending };
}
