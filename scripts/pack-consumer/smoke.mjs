// Run by packages/runtime/test/installed-packages.test.ts in a project outside the repository where the packed
// tarballs are installed, with plain node (no tsx, no source condition): every public entry point resolves to
// compiled JavaScript in dist/, internals are not reachable, and a topology runs through the test driver on the
// default (RocksDB) stores.
import assert from 'node:assert/strict';
import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, TimeWindows, TopologyError, kv } from '@ts-streams/dsl';
import { TopologyError as ErrorsTopologyError } from '@ts-streams/dsl/errors';
import { buildKeyValueStore, InMemoryKeyValueStore } from '@ts-streams/state';
import * as runtime from '@ts-streams/runtime';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

for (const entry of ['@ts-streams/dsl', '@ts-streams/dsl/errors', '@ts-streams/state', '@ts-streams/runtime', '@ts-streams/runtime/testing']) {
  assert.match(import.meta.resolve(entry), /\/node_modules\/@ts-streams\/[a-z]+\/dist\/.+\.js$/, `${entry} resolves to dist/*.js`);
}
assert.equal(ErrorsTopologyError, TopologyError, "'@ts-streams/dsl/errors' exports the same classes as '@ts-streams/dsl'");
assert.equal(typeof buildKeyValueStore, 'function');
assert.equal(typeof InMemoryKeyValueStore, 'function');
assert.equal(typeof runtime.StreamsError, 'function');
for (const internal of ['compileTask', 'StreamTask', 'processRecords', 'TopologyTestDriver']) {
  assert.equal(internal in runtime, false, `'@ts-streams/runtime' does not export ${internal}`);
}
for (const deep of ['@ts-streams/state/src/index.ts', '@ts-streams/state/dist/cache/record-cache.js', '@ts-streams/runtime/dist/compile/compile-task.js']) {
  await assert.rejects(import(deep), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }, `${deep} is not exported`);
}

const builder = new StreamsBuilder();
builder
  .stream('words', Consumed.with(Serdes.String(), Serdes.String()))
  .groupBy((_k, word) => word, Grouped.with(Serdes.String(), Serdes.String()))
  .windowedBy(TimeWindows.ofSizeWithNoGrace({ minutes: 5 }))
  .count(Materialized.as('word-counts'))
  .toStream()
  .map((windowed, count) => kv(`${windowed.key}@${windowed.window.start}`, count))
  .to('counts', Produced.with(Serdes.String(), Serdes.Long()));
const driver = await TopologyTestDriver.create(builder.build(), { cacheMaxBytes: 0 });
try {
  const words = driver.createInputTopic('words', Serdes.String(), Serdes.String());
  const counts = driver.createOutputTopic('counts', Serdes.String(), Serdes.Long());
  words.pipeInput('a', 'kafka', 1_000);
  words.pipeInput('b', 'streams', 2_000);
  words.pipeInput('c', 'kafka', 3_000);
  words.pipeInput('d', 'kafka', 301_000);
  assert.deepEqual(counts.readKeyValuesToList(), [
    { key: 'kafka@0', value: 1 },
    { key: 'streams@0', value: 1 },
    { key: 'kafka@0', value: 2 },
    { key: 'kafka@300000', value: 1 },
  ]);
  assert.equal(driver.getStateStore('word-counts').persistent, true, 'the default store is RocksDB');
} finally {
  await driver.close();
}
console.log('pack-consumer: entry points resolve to dist/*.js, internals are not exported, a topology ran through the driver');
