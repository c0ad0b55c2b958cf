import type { KeyValueStore, WindowStore, KeyValue } from '@ts-streams/state';

type VT<V> = { value: V; timestamp: number } | null | undefined;

function* mapValues<K, V>(it: Iterable<KeyValue<K, VT<V>>>): Iterable<KeyValue<K, V>> {
  for (const e of it) yield { key: e.key, value: e.value?.value as V };
}

/** A DSL (timestamped) key-value store seen with plain values, as Kafka's driver shows it. Writes stamp time 0... */
export function unwrapTimestampedKeyValueStore<K, V>(s: KeyValueStore<K, VT<V>>): KeyValueStore<K, V> {
  return {
    get name() { return s.name; },
    get persistent() { return s.persistent; },
    get: (k) => s.get(k)?.value ?? undefined,
    range: (a, b) => mapValues(s.range(a, b)),
    reverseRange: (a, b) => mapValues(s.reverseRange(a, b)),
    prefixScan: (p, ser) => mapValues(s.prefixScan(p, ser)),
    all: () => mapValues(s.all()),
    reverseAll: () => mapValues(s.reverseAll()),
    approximateNumEntries: () => s.approximateNumEntries(),
    put: (k, v) => s.put(k, v === null ? null : { value: v, timestamp: -1 }),
    putIfAbsent: (k, v) => s.putIfAbsent(k, { value: v, timestamp: -1 })?.value ?? undefined,
    putAll: (es) => s.putAll(es.map((e) => ({ key: e.key, value: e.value === null ? null : { value: e.value, timestamp: -1 } }))),
    delete: (k) => s.delete(k)?.value ?? undefined,
    flush: () => s.flush(),
    close: () => s.close(),
    isOpen: () => s.isOpen(),
  };
}

export function unwrapTimestampedWindowStore<K, V>(s: WindowStore<K, VT<V>>): WindowStore<K, V> {
  return {
    get name() { return s.name; },
    get persistent() { return s.persistent; },
    fetch: (k, t) => s.fetch(k, t)?.value ?? undefined,
    fetchRange: (k, a, b, back) => mapValues(s.fetchRange(k, a, b, back)),
    fetchKeyRange: (a, b, c, d, back) => mapValues(s.fetchKeyRange(a, b, c, d, back)),
    fetchAll: (a, b, back) => mapValues(s.fetchAll(a, b, back)),
    all: () => mapValues(s.all()),
    put: (k, v, t) => s.put(k, v === null ? null : { value: v, timestamp: t }, t),
    flush: () => s.flush(),
    close: () => s.close(),
    isOpen: () => s.isOpen(),
  };
}
