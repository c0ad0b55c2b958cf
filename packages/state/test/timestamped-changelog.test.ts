import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { StoreSerde, KeyValueBytesStore, WindowBytesStore } from '../src/index.ts';
import {
  buildKeyValueStore, buildWindowStore, InMemoryKeyValueStore, InMemoryWindowStore, RecordCache, RocksDbKeyValueStore, RocksDbWindowStore,
} from '../src/index.ts';
import { windowChangelogKey } from '../src/layers/changelog-keys.ts';
import { CollectingSink, hex, longSerde, s, stringSerde } from './contract/helpers.ts';

// Kafka Streams' timestamped stores keep [8-byte timestamp][value]; their changelogs carry the plain value with the
// timestamp as the record's (ChangeLoggingTimestamped*BytesStore), and a restore puts the timestamp back
// (RecordConverters.rawValueToTimestampedValue). Checked here against bytes Kafka Streams 4.4.0 wrote: a count of 1
// at 1000 is the changelog record value 0000000000000001, timestamp 1000.

interface Vt { readonly value: number; readonly timestamp: number }
/** [8-byte timestamp][8-byte long], Kafka's ValueAndTimestamp<Long> bytes. */
const vtSerde: StoreSerde<Vt> = {
  name: 'ValueAndTimestamp<Long>',
  serialize: (t, v) => {
    if (v === null) return null;
    const out = new Uint8Array(16);
    out.set(longSerde.serialize(t, v.timestamp)!, 0);
    out.set(longSerde.serialize(t, v.value)!, 8);
    return out;
  },
  deserialize: (t, x) => (x === null ? null : { timestamp: longSerde.deserialize(t, x.subarray(0, 8))!, value: longSerde.deserialize(t, x.subarray(8))! }),
};

function tempDir(t: ExecutionContext): string {
  const d = mkdtempSync(join(tmpdir(), 'ts-streams-tsc-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const records = (sink: CollectingSink) => sink.records.map((r) => [hex(r.key), r.value === null ? null : hex(r.value), r.timestamp]);

for (const backend of ['in-memory', 'rocksdb'] as const) {
  test(`timestamped key-value store (${backend}): the changelog has plain values stamped with their timestamps; a restore rebuilds the same store`, async (t) => {
    const open = async (name: string): Promise<KeyValueBytesStore> => {
      if (backend === 'in-memory') return new InMemoryKeyValueStore(name);
      const store = await RocksDbKeyValueStore.open({ name, dir: tempDir(t) });
      t.teardown(async () => { store.close(); await store.closed; });
      return store;
    };
    let now = 5;
    const sink = new CollectingSink();
    const kv = buildKeyValueStore({ inner: await open('counts'), keySerde: stringSerde, valueSerde: vtSerde, timestamp: () => now, logging: { sink, timestampedValues: true } });
    kv.put('a', { value: 1, timestamp: 1000 });
    kv.put('b', { value: 2, timestamp: 2000 });
    now = 3000;
    kv.delete('a'); // a tombstone: stamped with the current record's timestamp
    kv.putIfAbsent('a', { value: 7, timestamp: 2500 });
    kv.putIfAbsent('a', { value: 8, timestamp: 2600 }); // present: not logged
    kv.putAll([{ key: 'c', value: { value: 3, timestamp: 42 } }, { key: 'b', value: null }]);
    t.deepEqual(records(sink), [
      ['61', '0000000000000001', 1000],
      ['62', '0000000000000002', 2000],
      ['61', null, 3000],
      ['61', '0000000000000007', 2500],
      ['63', '0000000000000003', 42],
      ['62', null, 3000],
    ]);

    const restoredSink = new CollectingSink();
    const restored = buildKeyValueStore({ inner: await open('counts'), keySerde: stringSerde, valueSerde: vtSerde, logging: { sink: restoredSink, timestampedValues: true } });
    restored.restoreBatch(sink.records.slice(0, 3));
    restored.restoreBatch(sink.records.slice(3));
    t.deepEqual([...restored.all()], [...kv.all()]);
    t.deepEqual([...restored.all()], [{ key: 'a', value: { value: 7, timestamp: 2500 } }, { key: 'c', value: { value: 3, timestamp: 42 } }]);
    t.is(restoredSink.records.length, 0, 'restoring logs nothing');
  });

  test(`timestamped window store (${backend}): plain values in the changelog, restored with their timestamps`, async (t) => {
    const open = async (name: string): Promise<WindowBytesStore> => {
      if (backend === 'in-memory') return new InMemoryWindowStore({ name, retentionPeriod: 100_000, windowSize: 1000 });
      const store = await RocksDbWindowStore.open({ name, dir: tempDir(t), retentionPeriod: 100_000, segmentInterval: 50_000, windowSize: 1000, retainDuplicates: false });
      t.teardown(async () => { store.close(); await store.closed; });
      return store;
    };
    const now = 9;
    const sink = new CollectingSink();
    const w = buildWindowStore({ inner: await open('w'), keySerde: stringSerde, valueSerde: vtSerde, timestamp: () => now, logging: { sink, timestampedValues: true } });
    w.put('a', { value: 1, timestamp: 100 }, 0);
    w.put('a', { value: 2, timestamp: 1500 }, 1000);
    w.put('a', null, 0);
    t.deepEqual(records(sink), [
      [hex(windowChangelogKey(s('a'), 0, 0)), '0000000000000001', 100],
      [hex(windowChangelogKey(s('a'), 1000, 0)), '0000000000000002', 1500],
      [hex(windowChangelogKey(s('a'), 0, 0)), null, 9],
    ]);
    const restored = buildWindowStore({ inner: await open('w'), keySerde: stringSerde, valueSerde: vtSerde, logging: { sink: new CollectingSink(), timestampedValues: true } });
    restored.restoreBatch(sink.records.slice());
    t.deepEqual([...restored.all()], [{ key: { key: 'a', window: { start: 1000, end: 2000 } }, value: { value: 2, timestamp: 1500 } }]);
  });
}

test('a cached timestamped store writes its latest values down in the changelog format, stamped with their own timestamps', (t) => {
  const sink = new CollectingSink();
  const now = 1;
  const kv = buildKeyValueStore({
    inner: new InMemoryKeyValueStore('c'), keySerde: stringSerde, valueSerde: vtSerde, timestamp: () => now,
    logging: { sink, timestampedValues: true }, caching: { cache: new RecordCache(10_000) },
  });
  kv.put('a', { value: 1, timestamp: 10 });
  kv.put('a', { value: 2, timestamp: 20 });
  t.is(sink.records.length, 0);
  kv.flush();
  t.deepEqual(records(sink), [['61', '0000000000000002', 20]]);
});

test('a store built with timestampedValues whose values carry no timestamp fails with a message naming the cause', (t) => {
  const kv = buildKeyValueStore({ inner: new InMemoryKeyValueStore('c'), keySerde: stringSerde, valueSerde: stringSerde, logging: { sink: new CollectingSink(), timestampedValues: true } });
  t.throws(() => kv.put('a', 'x'), { message: /8-byte timestamp.*writes no timestamp/ });
});
