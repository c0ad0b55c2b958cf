import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { KeyValueBytesStore, KeyValueStore } from '../api/key-value-store.ts';
import { deserializeKey, serializeKey, serializeValue, serdeName } from './store-serde.ts';
import { SAMPLE_MASK } from './store-metrics.ts';
import { MeteredStore } from './metered-store.ts';
import { setFlushListenerDown, type FlushListener } from './layer-support.ts';
import { StoreSerdeError } from '../errors/store-serde-error.ts';

/**
 * The typed outer layer of a key-value store stack (Kafka Streams' MeteredKeyValueStore): serializes keys and
 * values with the store's serdes (topic = `topic`, the changelog topic or the store name) and counts calls.
 */
export class MeteredKeyValueStore<K, V> extends MeteredStore<K, V, KeyValueBytesStore> implements KeyValueStore<K, V> {
  get(key: K): V | undefined {
    const m = this.metrics;
    if ((++m.gets & SAMPLE_MASK) !== 0) return this.doGet(key);
    const t = performance.now();
    const v = this.doGet(key);
    m.getSampledMs += performance.now() - t;
    m.getSamples++;
    return v;
  }

  put(key: K, value: V | null): void {
    const m = this.metrics;
    if ((++m.puts & SAMPLE_MASK) !== 0) {
      this.doPut(key, value);
      return;
    }
    const t = performance.now();
    this.doPut(key, value);
    m.putSampledMs += performance.now() - t;
    m.putSamples++;
  }

  putIfAbsent(key: K, value: V): V | undefined {
    this.metrics.puts++;
    const kb = serializeKey(this.name, this.topic, this.keySerde, key);
    const vb = serializeValue(this.name, this.topic, this.valueSerde, value, kb);
    if (vb === null) throw new StoreSerdeError(this.name, `Store ${this.name}: value serde ${serdeName(this.valueSerde)} serialized a putIfAbsent value to null`);
    const old = this.inner.putIfAbsent(kb, vb);
    return old === undefined ? undefined : this.value(old, kb);
  }

  putAll(entries: readonly KeyValue<K, V | null>[]): void {
    this.metrics.puts += entries.length;
    const raw = new Array<KeyValue<Bytes, Bytes | null>>(entries.length);
    for (let i = 0; i < entries.length; i++) {
      const kb = serializeKey(this.name, this.topic, this.keySerde, entries[i]!.key);
      raw[i] = { key: kb, value: serializeValue(this.name, this.topic, this.valueSerde, entries[i]!.value, kb) };
    }
    this.inner.putAll(raw);
  }

  delete(key: K): V | undefined {
    this.metrics.deletes++;
    const kb = serializeKey(this.name, this.topic, this.keySerde, key);
    const old = this.inner.delete(kb);
    return old === undefined ? undefined : this.value(old, kb);
  }

  range(from: K | undefined, to: K | undefined): Iterable<KeyValue<K, V>> {
    this.metrics.scans++;
    return this.typed(this.inner.range(this.boundBytes(from), this.boundBytes(to), false));
  }

  reverseRange(from: K | undefined, to: K | undefined): Iterable<KeyValue<K, V>> {
    this.metrics.scans++;
    return this.typed(this.inner.range(this.boundBytes(from), this.boundBytes(to), true));
  }

  prefixScan<P>(prefix: P, prefixSerializer: { serialize(topic: string, p: P): Uint8Array | null }): Iterable<KeyValue<K, V>> {
    this.metrics.scans++;
    const pb = prefixSerializer.serialize(this.topic, prefix);
    if (pb === null || pb === undefined) throw new StoreSerdeError(this.name, `Store ${this.name}: prefix ${String(prefix)} serialized to null`);
    return this.typed(this.inner.prefixScan(pb));
  }

  all(): Iterable<KeyValue<K, V>> {
    this.metrics.scans++;
    return this.typed(this.inner.all(false));
  }

  reverseAll(): Iterable<KeyValue<K, V>> {
    this.metrics.scans++;
    return this.typed(this.inner.all(true));
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  /**
   * Sets the listener a caching layer below calls for each entry it writes down (the runtime forwards these
   * downstream). Returns false, doing nothing, when there is no caching layer: then the caller forwards itself.
   * With sendOldValues false the listener gets null old values (deletes aside): see FlushListenerHost.
   */
  setFlushListener(listener: FlushListener<K, V> | null, sendOldValues = true): boolean {
    if (listener === null) return setFlushListenerDown(this.inner, null);
    return setFlushListenerDown(this.inner, (kb, nv, ov, ts, context) => {
      listener(
        deserializeKey(this.name, this.topic, this.keySerde, kb),
        nv === null ? null : this.value(nv, kb) ?? null,
        ov === null ? null : this.value(ov, kb) ?? null,
        ts,
        context,
      );
    }, sendOldValues);
  }

  private doGet(key: K): V | undefined {
    const kb = this.keyBytes(key);
    const vb = this.inner.get(kb);
    return vb === undefined ? undefined : this.value(vb, kb);
  }

  private doPut(key: K, value: V | null): void {
    const kb = this.keyBytes(key);
    this.inner.put(kb, serializeValue(this.name, this.topic, this.valueSerde, value, kb));
  }

  private *typed(it: Iterable<KeyValue<Bytes, Bytes>>): Generator<KeyValue<K, V>> {
    for (const kv of it) {
      const v = this.value(kv.value, kv.key);
      if (v !== undefined) yield { key: deserializeKey(this.name, this.topic, this.keySerde, kv.key), value: v };
    }
  }
}
