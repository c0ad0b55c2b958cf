import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { take } from '../shared/take.ts';
import { collectingContext, recordsOf } from '../shared/collecting-context.ts';
import { clickInputs, clickPlan, pageViewsGenerator } from './generator.ts';
import { pageViewsTopology, type PageStats } from './topology.ts';
import { topPagesTable } from './top-pages.ts';

const WINDOW = 5 * 60_000;
const GRACE = 30_000;
test('the click plan is a pure function of the seed and the start time', (t) => {
  const startMs = Date.UTC(2024, 0, 15, 10, 30);
  t.deepEqual(take(clickPlan({ seed: 42, startMs }), 700), take(clickPlan({ seed: 42, startMs }), 700));
  t.notDeepEqual(take(clickPlan({ seed: 42, startMs }), 700), take(clickPlan({ seed: 43, startMs }), 700));
  // 10 minutes of history at one click a second are due at once; live clicks then come 3 a second.
  const plan = take(clickPlan({ seed: 42, startMs }), 606);
  t.is(plan.filter((p) => p.at < startMs).length, 600);
  t.deepEqual(plan.slice(600).map((p) => p.at - startMs), [0, 333, 667, 1000, 1333, 1667]);
});

test('the generator sends realistic clicks spanning windows, some late within grace and some beyond; the topology counts all but those', async (t) => {
  // A fast pace, so that the test sees a live part after the history in a second or two.
  const context = collectingContext({ stopAfter: 1500, timeoutMs: 30_000 });
  const started = Date.now();
  await pageViewsGenerator({ seed: 7, ratePerSecond: 200, historyPerSecond: 2 })(context);
  const returned = Date.now();
  t.true(context.records.length >= 1500, `sent ${context.records.length} clicks before the deadline`);
  t.true(returned - context.abortedAt()! < 1000, 'the generator returns soon after the signal aborts');

  t.deepEqual([...new Set(context.records.map((r) => r.topic))], ['clickstream']);
  const clicks = recordsOf(context.records, 'clickstream', clickInputs.clickstream);
  for (const c of clicks) {
    t.is(c.key, c.value!.userId, 'keyed by user');
    t.is(c.value!.eventType, 'click');
    t.is(Date.parse(c.value!.timestamp!), c.timestamp, 'the click carries its event time');
    t.regex(c.value!.pageUrl, /^\/[a-z/]*$/);
    t.true(typeof c.value!.elementId === 'string' && typeof c.value!.userAgent === 'string' && typeof c.value!.ipAddress === 'string');
    t.true(c.timestamp <= c.sentAt, 'no click from the future');
  }
  t.true(new Set(clicks.map((c) => c.value!.pageUrl)).size >= 6, 'several pages');
  t.true(new Set(clicks.map((c) => c.key)).size >= 30, 'several users');
  t.true(clicks.some((c) => c.sentAt - started > 500), 'live clicks follow the history');
  const windows = new Set(clicks.map((c) => c.timestamp - (c.timestamp % WINDOW)));
  t.true(windows.size >= 3, `timestamps span ${windows.size} windows`);

  // Lateness, computed here from the clicks alone, as a windowed aggregation sees it: against stream time (the
  // largest timestamp before), a click whose window closed (end + grace <= stream time) is dropped.
  let streamTime = -1;
  const expected = new Map<string, number>();
  let lateWithinGrace = 0;
  let lateBeyondGrace = 0;
  for (const c of clicks) {
    const start = c.timestamp - (c.timestamp % WINDOW);
    if (streamTime >= start + WINDOW + GRACE) lateBeyondGrace++;
    else {
      if (c.timestamp < streamTime) lateWithinGrace++;
      const k = `${c.value!.pageUrl}@${start}`;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    streamTime = Math.max(streamTime, c.timestamp);
  }
  t.true(lateWithinGrace >= 20, `${lateWithinGrace} clicks late within grace`);
  t.true(lateBeyondGrace >= 10, `${lateBeyondGrace} clicks late beyond grace`);

  // The same bytes through the topology: its latest count per page and window is the one computed here.
  const driver = await TopologyTestDriver.create(pageViewsTopology(), { cacheMaxBytes: 0 });
  t.teardown(() => driver.close());
  for (const r of context.records) driver.pipeRaw(r.topic, r.key, r.value, r.timestamp, r.headers);
  const stats = driver.createOutputTopic('page-view-stats', Serdes.String(), Serdes.JSON<PageStats>()).readValuesToList().map((s) => s!);
  const latest = new Map(stats.map((s) => [`${s.pageUrl}@${s.windowStart}`, s.views]));
  t.deepEqual(new Map([...latest].sort()), new Map([...expected].sort()));
  t.is([...driver.droppedRecords().values()].reduce((a, b) => a + b, 0), lateBeyondGrace);

  // The live table shows the newest window's pages, most viewed first.
  const newest = Math.max(...stats.map((s) => s.windowStart));
  const top = [...expected].filter(([k]) => k.endsWith(`@${newest}`)).map(([k, v]) => [k.slice(0, k.lastIndexOf('@')), v] as const)
    .sort(([pa, va], [pb, vb]) => vb - va || (pa < pb ? -1 : 1));
  const table = topPagesTable(stats);
  t.is(table.length, 2 + Math.min(5, top.length));
  t.deepEqual(table.slice(2).map((line) => line.trim().split(/\s+/).slice(1)), top.slice(0, 5).map(([p, v]) => [p, String(v)]));
});
