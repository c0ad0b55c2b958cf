import test from 'ava';
import type { Bytes, KeyValueBytesStore } from '../src/index.ts';
import { InMemoryKeyValueStore, RecordCache } from '../src/index.ts';
import { CachingKeyValueStore } from '../src/layers/caching-key-value-store.ts';
import { ChangeLoggingKeyValueStore } from '../src/layers/change-logging-key-value-store.ts';
import { b, CollectingSink, hex } from './contract/helpers.ts';

type Fwd = [string, string | null, string | null, number];

/** caching → change-logging → (counting) in-memory, with a listener recording what it is given. */
function setup() {
  let now = 1;
  const inner = new InMemoryKeyValueStore('s');
  const calls = { get: 0, getMany: [] as number[] };
  const counting: KeyValueBytesStore = Object.assign(Object.create(inner) as KeyValueBytesStore, {
    get: (k: Bytes) => {
      calls.get++;
      return inner.get(k);
    },
    getMany: (ks: readonly Bytes[]) => {
      calls.getMany.push(ks.length);
      return inner.getMany(ks);
    },
  });
  const sink = new CollectingSink();
  const logged = new ChangeLoggingKeyValueStore(counting, sink, () => caching.currentTimestamp());
  const forwarded: Fwd[] = [];
  let onForward: (k: Bytes) => void = () => {};
  const caching: CachingKeyValueStore = new CachingKeyValueStore(logged, new RecordCache(1 << 20), {
    timestamp: () => now,
    listener: (k, nv, ov, ts) => {
      forwarded.push([hex(k), nv && hex(nv), ov && hex(ov), ts]);
      onForward(k);
    },
  });
  return { inner, caching, sink, forwarded, calls, setNow: (t: number) => (now = t), onForward: (f: (k: Bytes) => void) => (onForward = f) };
}

test('flush reads the old values with one getMany below, and forwards and logs exactly as before', (t) => {
  const { inner, caching, sink, forwarded, calls, setNow } = setup();
  inner.put(b(2), b(0x20));
  inner.put(b(3), b(0x30));
  setNow(10);
  caching.put(b(1), b(1));
  setNow(11);
  caching.put(b(2), b(2));
  caching.delete(b(3)); // reads b(3) (a get, cached clean), then a dirty delete
  setNow(12);
  caching.delete(b(4)); // absent below: a delete of nothing is neither forwarded nor written (logged), as Kafka's
  calls.get = 0;
  caching.flush();
  t.deepEqual(calls.getMany, [4]);
  t.is(calls.get, 0);
  t.deepEqual(forwarded, [['01', '01', null, 10], ['02', '02', '20', 11], ['03', null, '30', 11]]);
  t.deepEqual(sink.records.map((r) => [hex(r.key), r.value && hex(r.value), r.timestamp]), [['01', '01', 10], ['02', '02', 11], ['03', null, 11]]);
});

test('without a listener nothing is read below', (t) => {
  const { caching, calls } = setup();
  caching.setFlushListener(null);
  caching.put(b(1), b(1));
  caching.put(b(2), b(2));
  caching.flush();
  t.deepEqual(calls.getMany, []);
  t.is(calls.get, 0);
});

test('a listener that writes down re-entrantly: the remaining entries are written again and their old values read at their turn', (t) => {
  const { caching, forwarded, calls, inner, onForward } = setup();
  inner.put(b(2), b(0x20));
  caching.put(b(1), b(1));
  caching.put(b(2), b(2));
  let once = true;
  onForward((k) => {
    if (once && k[0] === 1) {
      once = false;
      caching.put(b(2), b(0x33)); // a new dirty value of a key the outer write-down has not reached yet
      caching.flush(); // written down now, inside the outer write-down
    }
  });
  caching.flush();
  t.deepEqual(forwarded, [
    ['01', '01', null, 1],
    // The re-entrant write-down. Its old value is what the outer write-down's batch put below (Kafka, writing
    // entry by entry, would not have written key 2 yet and give '20'): the one difference of the batched write.
    ['02', '33', '02', 1],
    ['02', '02', '33', 1], // the outer one: written again; its old value is what is below now, not what getMany saw
  ]);
  t.deepEqual(calls.getMany, [2]);
  t.true(calls.get >= 1);
  t.deepEqual(inner.get(b(2)), b(2));
});
