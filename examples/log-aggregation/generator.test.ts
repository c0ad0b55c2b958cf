import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { take } from '../shared/take.ts';
import { collectingContext, recordsOf } from '../shared/collecting-context.ts';
import { logAggregationGenerator, logInputs, logPlan } from './generator.ts';
import { logAggregationTopology, type LevelCount } from './topology.ts';
import { levelOf } from './log-level.ts';

test('the log plan is a pure function of the seed and the start time', (t) => {
  const startMs = Date.UTC(2024, 0, 15, 10, 30);
  const plan = take(logPlan({ seed: 9, startMs }), 300);
  t.deepEqual(plan, take(logPlan({ seed: 9, startMs }), 300));
  t.notDeepEqual(plan, take(logPlan({ seed: 10, startMs }), 300));
  t.deepEqual(plan.slice(0, 3).map((p) => p.at - startMs), [0, 100, 200]);
});

test('the generator sends lines of four hosts in their own formats, some late, with incidents; the topology counts every one', async (t) => {
  const context = collectingContext({ stopAfter: 2000, timeoutMs: 30_000 });
  await logAggregationGenerator({ seed: 3, intervalMs: 1 })(context);
  const returned = Date.now();
  t.true(context.records.length >= 2000, `sent ${context.records.length} lines before the deadline`);
  t.true(returned - context.abortedAt()! < 1000, 'the generator returns soon after the signal aborts');

  t.deepEqual([...new Set(context.records.map((r) => r.topic))], ['logs']);
  const lines = recordsOf(context.records, 'logs', logInputs.logs);
  for (const l of lines) {
    t.is(l.key, l.value!.host, 'keyed by host');
    t.true(Date.parse(l.value!.timestamp) <= l.timestamp, 'written before it was sent');
  }
  const sources = new Map(lines.map((l) => [l.value!.host, l.value!.source]));
  t.deepEqual(new Map([...sources].sort()), new Map([
    ['app-server-1', '/var/log/app/app.log'],
    ['db-server-1', '/var/log/postgresql/postgresql-16-main.log'],
    ['web-server-1', '/var/log/nginx/access.log'],
    ['web-server-2', '/var/log/nginx/access.log'],
  ]));
  const late = lines.filter((l) => Date.parse(l.value!.timestamp) < l.timestamp).length;
  t.true(late >= 40, `${late} lines reached Kafka after they were written`);
  const levels = new Set(lines.map((l) => `${l.value!.host} ${levelOf(l.value!.message)}`));
  for (const expected of ['web-server-1 INFO', 'web-server-1 WARN', 'web-server-1 ERROR', 'app-server-1 DEBUG', 'app-server-1 ERROR', 'db-server-1 INFO', 'db-server-1 WARN', 'db-server-1 ERROR']) {
    t.true(levels.has(expected), `some lines are ${expected}`);
  }
  let run = 0;
  let longest = 0;
  for (const l of lines) {
    run = l.value!.message.includes('connection refused') ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  t.true(longest >= 15, `an incident: ${longest} connection errors in a row`);

  // Through the topology: the latest count per host, level and minute is the number of lines written then.
  const expected = new Map<string, number>();
  for (const l of lines) {
    const written = Date.parse(l.value!.timestamp);
    const k = `${l.value!.host} ${levelOf(l.value!.message)} ${written - (written % 60_000)}`;
    expected.set(k, (expected.get(k) ?? 0) + 1);
  }
  const driver = await TopologyTestDriver.create(logAggregationTopology(), { cacheMaxBytes: 0 });
  t.teardown(() => driver.close());
  for (const r of context.records) driver.pipeRaw(r.topic, r.key, r.value, r.timestamp, r.headers);
  const counts = driver.createOutputTopic('log-level-counts', Serdes.String(), Serdes.JSON<LevelCount>()).readValuesToList();
  const latest = new Map(counts.map((c) => [`${c!.host} ${c!.level} ${c!.windowStart}`, c!.lines]));
  t.deepEqual(new Map([...latest].sort()), new Map([...expected].sort()));
  t.is([...driver.droppedRecords().values()].reduce((a, b) => a + b, 0), 0, 'shippers lag less than the grace');
});
