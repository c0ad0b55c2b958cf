import test from 'ava';
import { topPagesTable } from './top-pages.ts';
import type { PageStats } from './topology.ts';

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
