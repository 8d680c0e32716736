/**
 * Dated headline figures for the board pack's "why this matters" box (issue 25, item 6). Each is a
 * primary source read up to early 2026 (docs/PRODUCT.md §9.2, contents):
 * the number, the period it covers, who published it and when, and where. The renderer prints
 * these, never figures of its own, so a new year's figures are a bank change with a date on it.
 * Secondary sources, and numbers without a current primary source (no NCA estimate of offenders
 * published since 2022; IWF 2025 totals only in draft), are deliberately not here.
 */
export interface HeadlineFigure {
  /** One sentence with the number in it, as the board reads it. */
  statement: string;
  /** The period the figure covers. */
  period: string;
  publisher: string;
  /** When it was published: an ISO date, or only the year (YYYY) where the source gives no day. */
  publishedOn: string;
  url: string;
}

/** Most relevant first: the report prints the first three that fit. */
export const HEADLINE_FIGURES: readonly HeadlineFigure[] = [
  {
    statement:
      'More than 20 million reports of suspected online child sexual exploitation were made by tech companies to NCMEC in 2024; they feed UK police referrals.',
    period: '2024',
    publisher: 'National Crime Agency',
    publishedOn: '2026-02-17',
    url: 'https://nca-newsroom.prgloo.com/news/child-sexual-abuse-is-increasing-in-severity-complexity-and-accessibility-say-policing-leads',
  },
  {
    statement: 'The IWF confirmed 291,273 reports of webpages containing, linking to or advertising child sexual abuse imagery, a record and 6% more than 2023.',
    period: '2024',
    publisher: 'Internet Watch Foundation',
    publishedOn: '2025-04-29',
    url: 'https://www.iwf.org.uk/news-media/blogs/parliamentarians-join-the-iwf-to-tackle-online-child-sexual-abuse-material',
  },
  {
    statement: 'Reports to NCMEC involving generative AI rose from 6,835 to 440,419 between the first halves of 2024 and 2025.',
    period: 'Jan–Jun 2024 vs Jan–Jun 2025',
    publisher: 'NCMEC',
    publishedOn: '2025',
    url: 'https://www.missingkids.org/blog/2025/spike-in-online-crimes-against-children-a-wake-up-call',
  },
  {
    statement: 'Financial sextortion reports to NCMEC rose 63%, from 11,625 to 18,898, between the first halves of 2024 and 2025.',
    period: 'Jan–Jun 2024 vs Jan–Jun 2025',
    publisher: 'NCMEC',
    publishedOn: '2025',
    url: 'https://www.missingkids.org/blog/2025/spike-in-online-crimes-against-children-a-wake-up-call',
  },
  {
    statement:
      'Ofcom opened 21 investigations into 69 sites and apps under the Online Safety Act; after enforcement, two file-sharing services deployed perceptual hash-matching.',
    period: 'Mar–Oct 2025',
    publisher: 'Ofcom',
    publishedOn: '2025-10-13',
    url: 'https://www.ofcom.org.uk/online-safety/illegal-and-harmful-content/ofcom-issues-update-on-online-safety-act-investigations',
  },
];
