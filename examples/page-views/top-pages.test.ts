import test from 'ava';
import type { ViewRecord } from '@ts-streams/runtime';
import { TopPages, topPagesTable } from './top-pages.ts';
import { print, view, type PageStats } from './topology.ts';

const MIN = 60_000;
const at = (pageUrl: string, views: number, windowStart: number): PageStats => ({ pageUrl, views, windowStart, windowEnd: windowStart + 5 * MIN });

test('the table lists the newest window\'s pages by their latest count, most viewed first, ties by page', (t) => {
  const w0 = Date.UTC(2024, 0, 15, 10, 25);
  const w1 = w0 + 5 * MIN;
  const seen = [
    at('/home', 7, w0), at('/cart', 2, w0),
    at('/home', 1, w1), at('/cart', 1, w1), at('/home', 2, w1), at('/products/laptop', 1, w1),
    at('/about', 9, w0), // a late click's update of the previous window: not the current one
    at('/products/laptop', 2, w1), at('/search', 2, w1),
  ];
  t.deepEqual(topPagesTable(seen), [
    'Top pages, window 10:30:00–10:35:00 UTC (7 views on 4 pages)',
    ' #  page              views',
    ' 1  /home                 2',
    ' 2  /products/laptop      2',
    ' 3  /search               2',
    ' 4  /cart                 1',
  ]);
});

test('the table shows at most `limit` pages, and says so when nothing was counted yet', (t) => {
  const w = Date.UTC(2024, 0, 15, 10, 30);
  const seen = ['/a', '/b', '/c', '/d', '/e', '/f', '/g'].map((p, i) => at(p, 10 + i, w));
  const lines = topPagesTable(seen, { limit: 3 });
  t.deepEqual(lines, [
    'Top pages, window 10:30:00–10:35:00 UTC (91 views on 7 pages)',
    ' #  page  views',
    ' 1  /g       16',
    ' 2  /f       15',
    ' 3  /e       14',
  ]);
  t.is(topPagesTable(seen).length, 2 + 5);
  t.deepEqual(topPagesTable([]), ['No page views yet: waiting for page-view-stats.']);
});

test('as the topology\'s view, it takes the records streams run reads, in any order across partitions, and keeps the current window only', (t) => {
  const w0 = Date.UTC(2024, 0, 15, 10, 25);
  const w1 = w0 + 5 * MIN;
  const view = new TopPages('page-view-stats', { limit: 2 });
  t.is(view.topic, 'page-view-stats');
  t.deepEqual(view.lines(), ['No page views yet: waiting for page-view-stats.']);
  let offset = 0;
  const record = (partition: number, stats: PageStats | null, key = stats?.pageUrl ?? '/gone'): ViewRecord<string, PageStats> =>
    ({ topic: 'page-view-stats', partition, offset: offset++, timestamp: stats?.windowStart ?? w1, key, value: stats, headers: [] });
  // Partition 1 is read ahead of partition 0: the newer window arrives first, the older one's records after it.
  view.add(record(1, at('/cart', 1, w1)));
  view.add(record(0, at('/home', 6, w0)));
  view.add(record(1, at('/cart', 2, w1)));
  view.add(record(0, at('/home', 1, w1)));
  view.add(record(2, null)); // a tombstone (none on this topic, but a view may see one): nothing to count
  t.deepEqual(view.lines(), [
    'Top pages, window 10:30:00–10:35:00 UTC (3 views on 2 pages)',
    ' #  page   views',
    ' 1  /cart      2',
    ' 2  /home      1',
  ]);
});

test('page-views exports the table as its view of the topic it prints', (t) => {
  t.true(view instanceof TopPages);
  t.is(view.topic, print);
});
