import type { PageStats } from './topology.ts';

export interface TopPagesOptions {
  /** How many pages the table lists; default 5. */
  readonly limit?: number;
}

/**
 * The live table `streams run examples/page-views` shows: the top pages of the current window — the latest window
 * among the `page-view-stats` records seen so far — by views, most viewed first (ties by page), one line each.
 * Pure: the records seen so far in, the lines out; the caller decides when to print them. A page's latest record
 * in a window is its count (each record updates the previous one), so records may be given in the order read.
 */
export function topPagesTable(stats: Iterable<PageStats>, options: TopPagesOptions = {}): string[] {
  const limit = options.limit ?? 5;
  let current: PageStats | undefined;
  const views = new Map<string, number>();
  for (const s of stats) {
    if (current === undefined || s.windowStart > current.windowStart) {
      current = s;
      views.clear();
    }
    if (s.windowStart === current.windowStart) views.set(s.pageUrl, s.views);
  }
  if (current === undefined) return ['No page views yet: waiting for page-view-stats.'];
  const ranked = [...views].sort(([pa, va], [pb, vb]) => vb - va || (pa < pb ? -1 : pa > pb ? 1 : 0));
  const shown = ranked.slice(0, limit);
  const total = ranked.reduce((n, [, v]) => n + v, 0);
  const pageWidth = Math.max(4, ...shown.map(([p]) => p.length));
  const viewsWidth = Math.max(5, ...shown.map(([, v]) => String(v).length));
  const row = (rank: string, page: string, count: string) => `${rank.padStart(2)}  ${page.padEnd(pageWidth)}  ${count.padStart(viewsWidth)}`;
  return [
    `Top pages, window ${clock(current.windowStart)}–${clock(current.windowEnd)} UTC (${total} views on ${ranked.length} pages)`,
    row('#', 'page', 'views'),
    ...shown.map(([page, v], i) => row(String(i + 1), page, String(v))),
  ];
}

/** HH:MM:SS of an epoch-ms instant, in UTC: the same text on every machine. */
function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
