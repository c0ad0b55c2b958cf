import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { ChangelogRecord, RestorableStore } from '../api/state-store.ts';
import type { WindowBytesStore, WindowStore, Windowed, WindowedBytes } from '../api/window-store.ts';
import { deserializeKey, deserializeValue, serializeKey, serializeValue, type StoreSerde } from './store-serde.ts';
import { SAMPLE_MASK, StoreMetrics } from './store-metrics.ts';
import { restoreDown } from './layer-support.ts';
import { setWindowedFlushListenerDown, type WindowedFlushListener } from './windowed-cache-support.ts';

/** The typed outer layer of a window store stack (Kafka Streams' MeteredWindowStore). */
export class MeteredWindowStore<K, V> implements WindowStore<K, V>, RestorableStore {
  readonly metrics = new StoreMetrics();
  readonly name: string;
  readonly topic: string;
  private lastKey: unknown = undefined;
  private lastKeyBytes: Bytes | undefined = undefined;

  constructor(
    readonly inner: WindowBytesStore,
    readonly keySerde: StoreSerde<K>,
    readonly valueSerde: StoreSerde<V>,
    topic?: string,
  ) {
    this.name = inner.name;
    this.topic = topic ?? inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  get retentionPeriod(): number {
    return this.inner.retentionPeriod;
  }

  get windowSize(): number {
    return this.inner.windowSize;
  }

  get retainDuplicates(): boolean {
    return this.inner.retainDuplicates;
  }

  observedStreamTime(): number {
    return this.inner.observedStreamTime();
  }

  put(key: K, value: V | null, windowStart: number): void {
    const m = this.metrics;
    const sample = (++m.puts & SAMPLE_MASK) === 0;
    const t = sample ? performance.now() : 0;
    const kb = this.keyBytes(key);
    this.inner.put(kb, serializeValue(this.name, this.topic, this.valueSerde, value, kb), windowStart);
    if (sample) {
      m.putSampledMs += performance.now() - t;
      m.putSamples++;
    }
  }

  fetch(key: K, windowStart: number): V | undefined {
    const m = this.metrics;
    const sample = (++m.gets & SAMPLE_MASK) === 0;
    const t = sample ? performance.now() : 0;
    const kb = this.keyBytes(key);
    const vb = this.inner.fetch(kb, windowStart);
    const v = vb === undefined ? undefined : this.value(vb, kb);
    if (sample) {
      m.getSampledMs += performance.now() - t;
      m.getSamples++;
    }
    return v;
  }

  fetchRange(key: K, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<number, V>> {
    this.metrics.scans++;
    const kb = this.keyBytes(key);
    const out: KeyValue<number, V>[] = [];
    for (const kv of this.inner.fetchRange(kb, timeFrom, timeTo, backward)) {
      const v = this.value(kv.value, kb);
      if (v !== undefined) out.push({ key: kv.key, value: v });
    }
    return out;
  }

  fetchKeyRange(keyFrom: K | undefined, keyTo: K | undefined, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<Windowed<K>, V>> {
    this.metrics.scans++;
    return this.typed(this.inner.fetchKeyRange(this.optKey(keyFrom), this.optKey(keyTo), timeFrom, timeTo, backward));
  }

  fetchAll(timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<Windowed<K>, V>> {
    this.metrics.scans++;
    return this.typed(this.inner.fetchAll(timeFrom, timeTo, backward));
  }

  all(): Iterable<KeyValue<Windowed<K>, V>> {
    this.metrics.scans++;
    return this.typed(this.inner.all());
  }

  flush(): void {
    this.metrics.flushes++;
    this.inner.flush();
  }

  close(): void {
    this.inner.close();
  }

  isOpen(): boolean {
    return this.inner.isOpen();
  }

  restoreBatch(records: readonly ChangelogRecord[]): void {
    this.metrics.restored += records.length;
    restoreDown(this.name, this.inner, records);
  }

  /**
   * Sets the flush listener of a caching layer below (typed: windowed key, values); false when there is none
   * (then the caller forwards itself). sendOldValues false lets the cache skip reading old values it need not.
   */
  setFlushListener(listener: WindowedFlushListener<K, V> | null, sendOldValues = true): boolean {
    if (listener === null) return setWindowedFlushListenerDown(this.inner, null, sendOldValues);
    return setWindowedFlushListenerDown(this.inner, (w, nv, ov, ts, context) => {
      listener(
        { key: deserializeKey(this.name, this.topic, this.keySerde, w.key), window: { start: w.start, end: w.end } },
        nv === null ? null : this.value(nv, w.key) ?? null,
        ov === null ? null : this.value(ov, w.key) ?? null,
        ts,
        context,
      );
    }, sendOldValues);
  }

  /** Serializes a key, memoising the last primitive key (a record updates several windows of one key). */
  private keyBytes(key: K): Bytes {
    if (key === this.lastKey && this.lastKeyBytes !== undefined) return this.lastKeyBytes;
    const kb = serializeKey(this.name, this.topic, this.keySerde, key);
    const t = typeof key;
    if (t === 'string' || t === 'number' || t === 'bigint') {
      this.lastKey = key;
      this.lastKeyBytes = kb;
    }
    return kb;
  }

  private value(vb: Bytes, kb: Bytes): V | undefined {
    const v = deserializeValue(this.name, this.topic, this.valueSerde, vb, kb);
    return v === null ? undefined : v;
  }

  private optKey(k: K | undefined): Bytes | undefined {
    return k === undefined ? undefined : serializeKey(this.name, this.topic, this.keySerde, k);
  }

  private typed(it: Iterable<KeyValue<WindowedBytes, Bytes>>): KeyValue<Windowed<K>, V>[] {
    const out: KeyValue<Windowed<K>, V>[] = [];
    for (const kv of it) {
      const w = kv.key;
      const v = this.value(kv.value, w.key);
      if (v === undefined) continue;
      out.push({ key: { key: deserializeKey(this.name, this.topic, this.keySerde, w.key), window: { start: w.start, end: w.end } }, value: v });
    }
    return out;
  }
}
