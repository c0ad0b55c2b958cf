import { StreamsBuilder, Serdes, Consumed, Grouped, Produced, TimeWindows, Materialized } from '@ts-streams/dsl';
import { TopPages } from './top-pages.ts';

/** A click on a page, as the website sends it to `clickstream`, keyed by user id (the seed's track_click event). */
export interface Click {
  readonly eventType: string;
  readonly userId: string;
  readonly pageUrl: string;
  readonly elementId?: string;
  /** ISO time of the click, as the browser saw it; the record's timestamp carries the same instant. */
  readonly timestamp?: string;
  readonly userAgent?: string;
  readonly ipAddress?: string;
}

/** Views of one page in one 5-minute window. */
export interface PageStats {
  readonly pageUrl: string;
  readonly views: number;
  readonly windowStart: number;
  readonly windowEnd: number;
}

/** The topics the app reads and writes (other names let tests on a shared broker have topics of their own). */
export interface PageViewsTopics {
  /** Clicks keyed by user (default `clickstream`). */
  readonly clicks?: string;
  /** Views per page and window (default `page-view-stats`). */
  readonly stats?: string;
}

/**
 * Page views per page per 5-minute tumbling window (the seed's ClickAnalytics): clicks keyed by user are
 * re-keyed by page — through a repartition topic, so counts stay right with several instances — counted
 * per window, and written to `page-view-stats` (or `topics.stats`) keyed by page.
 */
export function pageViewsTopology({ clicks = 'clickstream', stats = 'page-view-stats' }: PageViewsTopics = {}) {
  const builder = new StreamsBuilder();
  builder
    .stream(clicks, Consumed.with(Serdes.String(), Serdes.JSON<Click>()))
    .groupBy((_user, click) => click.pageUrl, Grouped.with(Serdes.String(), Serdes.JSON<Click>(), 'clicks-by-page'))
    .windowedBy(TimeWindows.ofSizeAndGrace({ minutes: 5 }, { seconds: 30 }))
    .count(Materialized.as('page-view-counts'))
    .toStream()
    .map((w, views) => ({
      key: w.key,
      value: { pageUrl: w.key, views, windowStart: w.window.start, windowEnd: w.window.end } satisfies PageStats,
    }))
    .to(stats, Produced.with(Serdes.String(), Serdes.JSON<PageStats>()));
  return builder.build();
}

export default pageViewsTopology();

/** What `streams run examples/page-views` prints when no --print is given, off a terminal: the counts as they change. */
export const print = 'page-view-stats';

/** What it shows on a terminal instead: the current window's top pages, a small table redrawn as the counts change. */
export const view = new TopPages('page-view-stats');
