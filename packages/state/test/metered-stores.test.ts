import test from 'ava';
import {
  buildKeyValueStore,
  buildSessionStore,
  buildWindowStore,
  InMemoryKeyValueStore,
  InMemorySessionStore,
  InMemoryWindowStore,
  RecordCache,
  StoreSerdeError,
} from '../src/index.ts';
import { CachingKeyValueStore } from '../src/layers/caching-key-value-store.ts';
import { ChangeLoggingKeyValueStore } from '../src/layers/change-logging-key-value-store.ts';
import { ChangeLoggingSessionStore } from '../src/layers/change-logging-session-store.ts';
import { ChangeLoggingWindowStore } from '../src/layers/change-logging-window-store.ts';
import type { StoreSerde } from '../src/index.ts';
import { b, CollectingSink, hex, longSerde, stringSerde } from './contract/helpers.ts';

test('builder stacks metered → caching → change-logging → inner', (a) => {
  const inner = new InMemoryKeyValueStore('counts');
  const sink = new CollectingSink();
  const kv = buildKeyValueStore({ inner, keySerde: stringSerde, valueSerde: longSerde, caching: { cache: new RecordCache(1000) }, logging: { sink, timestamp: () => 7 } });
  a.true(kv.inner instanceof CachingKeyValueStore);
  const caching = kv.inner as CachingKeyValueStore;
  a.true(caching.inner instanceof ChangeLoggingKeyValueStore);
  a.is((caching.inner as ChangeLoggingKeyValueStore).inner, inner);
  a.is(kv.name, 'counts');
  a.is(kv.keySerde, stringSerde);
  a.is(kv.valueSerde, longSerde);
  a.false(kv.persistent);
  const plain = buildKeyValueStore({ inner: new InMemoryKeyValueStore('x'), keySerde: stringSerde, valueSerde: longSerde });
  a.true(plain.inner instanceof InMemoryKeyValueStore);
  a.false(plain.setFlushListener(() => {}));
  a.true(kv.setFlushListener(() => {}));
  const w = buildWindowStore({ inner: new InMemoryWindowStore({ name: 'w', retentionPeriod: 10, windowSize: 5 }), keySerde: stringSerde, valueSerde: longSerde, logging: { sink } });
  a.true(w.inner instanceof ChangeLoggingWindowStore);
  const s = buildSessionStore({ inner: new InMemorySessionStore({ name: 'ss', retentionPeriod: 10 }), keySerde: stringSerde, valueSerde: longSerde, logging: { sink } });
  a.true(s.inner instanceof ChangeLoggingSessionStore);
  a.throws(() => buildKeyValueStore({ name: 'other', inner: new InMemoryKeyValueStore('y'), keySerde: stringSerde, valueSerde: longSerde }));
});

test('typed key-value store: operations, scans in serialized-key order, counters', (a) => {
  const kv = buildKeyValueStore({ inner: new InMemoryKeyValueStore('kv'), keySerde: stringSerde, valueSerde: longSerde });
  kv.put('b', 2);
  kv.put('a', 1);
  kv.put('é', 3); // UTF-8 0xc3 0xa9: after ASCII
  kv.put('c', 3);
  kv.put('c', null);
  a.is(kv.get('a'), 1);
  a.is(kv.get('c'), undefined);
  a.is(kv.putIfAbsent('a', 9), 1);
  a.is(kv.putIfAbsent('d', 4), undefined);
  a.is(kv.delete('d'), 4);
  a.is(kv.delete('d'), undefined);
  a.deepEqual([...kv.all()].map((x) => x.key), ['a', 'b', 'é']);
  a.deepEqual([...kv.reverseAll()].map((x) => x.key), ['é', 'b', 'a']);
  a.deepEqual([...kv.range('a', 'b')].map((x) => [x.key, x.value]), [['a', 1], ['b', 2]]);
  a.deepEqual([...kv.reverseRange('b', undefined)].map((x) => x.key), ['é', 'b']);
  a.deepEqual([...kv.prefixScan('b', stringSerde)].map((x) => x.key), ['b']);
  kv.putAll([{ key: 'x', value: 1 }, { key: 'y', value: 2 }]);
  a.is(kv.approximateNumEntries(), 5);
  a.is(kv.metrics.gets, 2);
  a.is(kv.metrics.puts, 9);
  a.is(kv.metrics.deletes, 2);
  kv.close();
  a.false(kv.isOpen());
});

test('latency is sampled, not measured per call', (a) => {
  const kv = buildKeyValueStore({ inner: new InMemoryKeyValueStore('kv'), keySerde: stringSerde, valueSerde: longSerde });
  for (let i = 0; i < 5000; i++) kv.put('k' + (i % 10), i);
  a.is(kv.metrics.puts, 5000);
  a.is(kv.metrics.putSamples, 4);
  a.true(kv.metrics.putLatencyAvgMs >= 0);
});

test('an unreadable value throws naming the store, the key (utf8 or hex) and the serde', (a) => {
  const inner = new InMemoryKeyValueStore('my-store');
  const kv = buildKeyValueStore({ inner, keySerde: stringSerde, valueSerde: longSerde });
  inner.put(new TextEncoder().encode('user-1'), b(1, 2, 3));
  const e = a.throws(() => kv.get('user-1'), { instanceOf: StoreSerdeError })!;
  a.regex(e.message, /my-store/);
  a.regex(e.message, /"user-1"/);
  a.regex(e.message, /Long/);
  a.regex(e.message, /not 8/);
  const bin: StoreSerde<Uint8Array> = { name: 'Bytes', serialize: (_t, v) => v, deserialize: (_t, x) => x };
  const kv2 = buildKeyValueStore({ inner: new InMemoryKeyValueStore('bin'), keySerde: bin, valueSerde: longSerde });
  (kv2.inner as InMemoryKeyValueStore).put(b(0xff, 0x00), b(1));
  const e2 = a.throws(() => [...kv2.all()])!;
  a.regex(e2.message, /0xff00/);
  a.regex(e2.message, /bin/);
  const anon = buildKeyValueStore({ inner: new InMemoryKeyValueStore('anon'), keySerde: stringSerde, valueSerde: { serialize: () => b(1), deserialize: () => { throw new Error('boom'); } } as StoreSerde<number> });
  anon.put('k', 1);
  a.throws(() => anon.get('k'), { message: /anon.*anonymous serde.*boom/ });
});

test('serdes get the topic: the given topic, else the store name', (a) => {
  const topics: string[] = [];
  const spy: StoreSerde<string> = { name: 'spy', serialize: (t, v) => (topics.push(t), stringSerde.serialize(t, v)), deserialize: (t, x) => stringSerde.deserialize(t, x) };
  const kv = buildKeyValueStore({ inner: new InMemoryKeyValueStore('st'), keySerde: spy, valueSerde: longSerde, topic: 'app-st-changelog' });
  kv.put('a', 1);
  const kv2 = buildKeyValueStore({ inner: new InMemoryKeyValueStore('st2'), keySerde: spy, valueSerde: longSerde });
  kv2.put('a', 1);
  a.deepEqual(topics, ['app-st-changelog', 'st2']);
});

test('typed caching store: typed flush listener, changelog stamped with the write timestamp', (a) => {
  let now = 100;
  const sink = new CollectingSink();
  const fwd: unknown[] = [];
  const kv = buildKeyValueStore({
    inner: new InMemoryKeyValueStore('agg'),
    keySerde: stringSerde,
    valueSerde: longSerde,
    timestamp: () => now,
    caching: { cache: new RecordCache(1 << 20), onFlush: (k, nv, ov, ts) => fwd.push([k, nv, ov, ts]) },
    logging: { sink },
  });
  kv.put('a', 1);
  now = 200;
  kv.put('a', (kv.get('a') ?? 0) + 1);
  now = 300;
  kv.flush();
  a.deepEqual(fwd, [['a', 2, null, 200]]);
  a.deepEqual(sink.records.map((r) => [hex(r.key), r.timestamp]), [['61', 200]]);
  kv.put('a', 3);
  kv.flush();
  a.deepEqual(fwd.at(-1), ['a', 3, 2, 300]);
});

test('restore through the typed store reproduces state (kv, window, session)', (a) => {
  const sink = new CollectingSink();
  const mk = () => buildKeyValueStore({ inner: new InMemoryKeyValueStore('r'), keySerde: stringSerde, valueSerde: longSerde, logging: { sink } });
  const kv = mk();
  kv.put('a', 1);
  kv.put('b', 2);
  kv.delete('a');
  const kv2 = buildKeyValueStore({ inner: new InMemoryKeyValueStore('r'), keySerde: stringSerde, valueSerde: longSerde });
  a.throws(() => kv2.restoreBatch(sink.records), { message: /no change-logging layer/ });
  const kv3 = mk();
  kv3.restoreBatch(sink.records.slice());
  a.deepEqual([...kv3.all()], [{ key: 'b', value: 2 }]);
  a.is(kv3.metrics.restored, 3);

  const wsink = new CollectingSink();
  const mkw = () => buildWindowStore({ inner: new InMemoryWindowStore({ name: 'w', retentionPeriod: 100, windowSize: 10 }), keySerde: stringSerde, valueSerde: longSerde, logging: { sink: wsink } });
  const w = mkw();
  w.put('a', 1, 0);
  w.put('a', 2, 10);
  w.put('b', 3, 10);
  w.put('a', null, 0);
  const w2 = mkw();
  w2.restoreBatch(wsink.records.slice());
  a.deepEqual([...w2.all()], [{ key: { key: 'a', window: { start: 10, end: 20 } }, value: 2 }, { key: { key: 'b', window: { start: 10, end: 20 } }, value: 3 }]);
  a.deepEqual([...w2.fetchRange('a', 0, 100)], [{ key: 10, value: 2 }]);
  a.is(w2.fetch('b', 10), 3);
  a.deepEqual([...w2.fetchKeyRange('b', 'b', 0, 100)].map((x) => x.value), [3]);

  const ssink = new CollectingSink();
  const mks = () => buildSessionStore({ inner: new InMemorySessionStore({ name: 's', retentionPeriod: 100 }), keySerde: stringSerde, valueSerde: longSerde, logging: { sink: ssink } });
  const s = mks();
  s.put({ key: 'a', window: { start: 0, end: 5 } }, 1);
  s.remove({ key: 'a', window: { start: 0, end: 5 } });
  s.put({ key: 'a', window: { start: 0, end: 8 } }, 2);
  const s2 = mks();
  s2.restoreBatch(ssink.records.slice());
  a.deepEqual([...s2.fetch('a')], [{ key: { key: 'a', window: { start: 0, end: 8 } }, value: 2 }]);
  a.deepEqual([...s2.findSessions('a', 8, 8)].length, 1);
  a.is(s2.fetchSession('a', 0, 8), 2);
  a.deepEqual([...s2.findSessionsRange(undefined, undefined, 0, 100)].map((x) => x.key.key), ['a']);
});
