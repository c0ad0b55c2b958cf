import test from 'ava';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, TimeWindows } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

function countTopology(materialized = Materialized.as<string, number>('counts')) {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .count(materialized)
    .toStream()
    .to('out', Produced.with(Serdes.String(), Serdes.Long()));
  return b.build();
}

test('create() runs the default stores on RocksDB in a temporary state directory that close() removes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'driver-persistent-'));
  try {
    const driver = await TopologyTestDriver.create(countTopology(), { stateDir: join(dir, 'state') });
    const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
    const out = driver.createOutputTopic('out', Serdes.String(), Serdes.Long());
    input.pipeKeyValueList([{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'a', value: '3' }], 0, 1);
    t.deepEqual(out.readKeyValuesToList(), [{ key: 'a', value: 1 }, { key: 'b', value: 1 }, { key: 'a', value: 2 }]);
    const store = driver.getKeyValueStore<string, number>('counts');
    t.true(driver.getStateStore('counts').persistent);
    t.is(store.get('a'), 2);
    t.true(existsSync(join(dir, 'state', 'topology-test-driver', '0_0', 'rocksdb', 'counts')), 'one RocksDB directory per store under <stateDir>/<appId>/<task>/rocksdb');
    await driver.close();
    t.false(existsSync(join(dir, 'state', 'topology-test-driver', '.lock')), 'the state directory lock is released');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Without stateDir the temporary directory is removed on close.
  const d = await TopologyTestDriver.create(countTopology());
  const tmp = d.stateDirectory!;
  t.true(tmp.startsWith(join(tmpdir(), 'ts-streams-driver-')) && existsSync(tmp), tmp);
  await d.close();
  t.false(existsSync(tmp));
  t.is(new TopologyTestDriver(countTopology()).stateDirectory, undefined, 'the in-memory driver has no state directory');
});

test('a store Materialized in-memory stays in memory under create()', async (t) => {
  const driver = await TopologyTestDriver.create(countTopology(Materialized.as<string, number>('counts', { backend: 'in-memory' })));
  t.false(driver.getStateStore('counts').persistent);
  await driver.close();
});

test('two drivers cannot share one state directory: the error names the directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'driver-persistent-'));
  try {
    const first = await TopologyTestDriver.create(countTopology(), { stateDir: dir });
    const err = await t.throwsAsync(TopologyTestDriver.create(countTopology(), { stateDir: dir }));
    t.true(err!.message.includes(join(dir, 'topology-test-driver')), err!.message);
    await first.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('RocksDB and in-memory stores give the same outputs for a windowed count with caching, committed per pipe', async (t) => {
  const topology = () => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace({ seconds: 10 }, { seconds: 2 }))
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.timeWindowed(Serdes.String(), 10_000), Serdes.Long()));
    return b.build();
  };
  const records = Array.from({ length: 2000 }, (_, i) => ({ key: `k${i % 37}`, value: 'v', timestamp: i * 17 - (i % 5) * 400 }));
  const run = async (driver: TopologyTestDriver) => {
    const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
    const out = driver.createOutputTopic('out', Serdes.timeWindowed(Serdes.String(), 10_000), Serdes.Long());
    const seen: unknown[] = [];
    for (let i = 0; i < records.length; i += 250) {
      input.pipeRecordList(records.slice(i, i + 250));
      // The commit at the end of each pipe forwarded the cached counts: they are readable at once.
      seen.push(out.readRecordsToList().map((r) => [r.key!.key, r.key!.window.start, r.value, r.timestamp]));
    }
    await driver.close();
    return seen;
  };
  const options = { commit: 'per-pipe' as const, cacheMaxBytes: 1 << 20 };
  const onRocks = await run(await TopologyTestDriver.create(topology(), options));
  const inMemory = await run(new TopologyTestDriver(topology(), options));
  t.true((onRocks[0] as unknown[]).length > 0);
  t.deepEqual(onRocks, inMemory);
});

test('a cached count forwards on commit with the headers of the record that last updated the key', async (t) => {
  const driver = new TopologyTestDriver(countTopology(), { commit: 'per-pipe', cacheMaxBytes: 1 << 20 });
  const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
  const out = driver.createOutputTopic('out', Serdes.String(), Serdes.Long());
  const h = (v: string) => [{ key: 'trace', value: new TextEncoder().encode(v) }];
  input.pipeRecordList([
    { key: 'a', value: 'x', timestamp: 1, headers: h('1') },
    { key: 'b', value: 'x', timestamp: 2, headers: h('2') },
    { key: 'a', value: 'x', timestamp: 3, headers: h('3') },
  ]);
  const got = out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp, new TextDecoder().decode(r.headers[0]!.value!)]);
  t.deepEqual(got, [['b', 1, 2, '2'], ['a', 2, 3, '3']]);
  await driver.close();
});
