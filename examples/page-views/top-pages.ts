import type { TopicView, ViewRecord } from '@ts-streams/runtime';
import type { PageStats } from './topology.ts';

export interface TopPagesOptions {
  /** How many pages the table lists; default 5. */
  readonly limit?: number;
}

/**
 * The live table `streams run examples/page-views` shows on a terminal (the topology's exported view): the top pages
 * of the current window — the latest window among the `page-view-stats` records seen so far — by views, most viewed
 * first (ties by page), one line each. A page's latest record in a window is its count (each record updates the
 * previous one), so records are taken in the order read; only the current window's counts are kept.
 */
export class TopPages implements TopicView<string, PageStats> {
  private readonly limit: number;
  private current: PageStats | undefined;
  private readonly views = new Map<string, number>();

  constructor(
    readonly topic = 'page-view-stats',
    options: TopPagesOptions = {},
  ) {
    this.limit = options.limit ?? 5;
  }

  add(record: ViewRecord<string, PageStats>): void {
    if (record.value !== null) this.addStats(record.value);
  }

  addStats(s: PageStats): void {
    if (this.current === undefined || s.windowStart > this.current.windowStart) {
      this.current = s;
      this.views.clear();
    }
    // A late click's update of an earlier window is not the current window's.
    if (s.windowStart === this.current.windowStart) this.views.set(s.pageUrl, s.views);
  }

  lines(): string[] {
    const current = this.current;
    if (current === undefined) return [`No page views yet: waiting for ${this.topic}.`];
    const ranked = [...this.views].sort(([pa, va], [pb, vb]) => vb - va || (pa < pb ? -1 : pa > pb ? 1 : 0));
    const shown = ranked.slice(0, this.limit);
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
}

/** The table of the records seen so far (what a TopPages that took them shows). */
export function topPagesTable(stats: Iterable<PageStats>, options: TopPagesOptions = {}): string[] {
  const table = new TopPages('page-view-stats', options);
  for (const s of stats) table.addStats(s);
  return table.lines();
}

/** HH:MM:SS of an epoch-ms instant, in UTC: the same text on every machine. */
function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
