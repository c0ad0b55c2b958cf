import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { pageViewsTopology, type Click, type PageStats } from './topology.ts';

const click = (userId: string, pageUrl: string): Click => ({ eventType: 'click', userId, pageUrl });
const MIN = 60_000;

test('counts views per page per 5-minute window, keyed by page', async (t) => {
  const driver = await TopologyTestDriver.create(pageViewsTopology(), { cacheMaxBytes: 0 });
  const clicks = driver.createInputTopic('clickstream', Serdes.String(), Serdes.JSON<Click>());
  const stats = driver.createOutputTopic('page-view-stats', Serdes.String(), Serdes.JSON<PageStats>());
  clicks.pipeInput('u1', click('u1', '/home'), 1 * MIN);
  clicks.pipeInput('u2', click('u2', '/home'), 2 * MIN);
  clicks.pipeInput('u1', click('u1', '/cart'), 3 * MIN);
  clicks.pipeInput('u3', click('u3', '/home'), 6 * MIN); // next window
  t.deepEqual(stats.readKeyValuesToList(), [
    { key: '/home', value: { pageUrl: '/home', views: 1, windowStart: 0, windowEnd: 5 * MIN } },
    { key: '/home', value: { pageUrl: '/home', views: 2, windowStart: 0, windowEnd: 5 * MIN } },
    { key: '/cart', value: { pageUrl: '/cart', views: 1, windowStart: 0, windowEnd: 5 * MIN } },
    { key: '/home', value: { pageUrl: '/home', views: 1, windowStart: 5 * MIN, windowEnd: 10 * MIN } },
  ]);
  // The counts live in RocksDB (the default store), queryable as a window store.
  t.true(driver.getStateStore('page-view-counts').persistent);
  t.is(driver.getWindowStore<string, number>('page-view-counts').fetch('/home', 0), 2);
  await driver.close();
});

test('a click within grace still counts; one past grace is dropped and counted as dropped', async (t) => {
  const driver = await TopologyTestDriver.create(pageViewsTopology(), { cacheMaxBytes: 0 });
  const clicks = driver.createInputTopic('clickstream', Serdes.String(), Serdes.JSON<Click>());
  const stats = driver.createOutputTopic('page-view-stats', Serdes.String(), Serdes.JSON<PageStats>());
  clicks.pipeInput('u1', click('u1', '/home'), 1 * MIN);
  clicks.pipeInput('u2', click('u2', '/home'), 5 * MIN + 10_000); // stream time 5:10, window [0,5) closes at 5:30
  clicks.pipeInput('u3', click('u3', '/home'), 4 * MIN); // late but within grace
  clicks.pipeInput('u4', click('u4', '/home'), 5 * MIN + 40_000); // stream time 5:40: [0,5) is closed
  clicks.pipeInput('u5', click('u5', '/home'), 2 * MIN); // too late: dropped
  const out = stats.readValuesToList();
  t.deepEqual(out.map((s) => [s!.windowStart, s!.views]), [[0, 1], [5 * MIN, 1], [0, 2], [5 * MIN, 2]]);
  t.is([...driver.droppedRecords().values()].reduce((a, b) => a + b, 0), 1);
  await driver.close();
});

test('describe() prints the two sub-topologies split at the repartition topic', (t) => {
  const text = pageViewsTopology().describe();
  t.regex(text, /Sub-topology: 0/);
  t.regex(text, /Sub-topology: 1/);
  t.regex(text, /clicks-by-page-repartition/);
});
