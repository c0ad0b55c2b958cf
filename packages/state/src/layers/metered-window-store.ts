import type { KeyValue } from '../api/bytes.ts';
import type { WindowBytesStore, WindowStore, Windowed } from '../api/window-store.ts';
import { serializeValue } from './store-serde.ts';
import { SAMPLE_MASK } from './store-metrics.ts';
import { MeteredStore } from './metered-store.ts';
import type { WindowedFlushListener } from './windowed-cache-support.ts';

/** The typed outer layer of a window store stack (Kafka Streams' MeteredWindowStore). */
export class MeteredWindowStore<K, V> extends MeteredStore<K, V, WindowBytesStore> implements WindowStore<K, V> {
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
    return this.windowed(this.inner.fetchKeyRange(this.boundBytes(keyFrom), this.boundBytes(keyTo), timeFrom, timeTo, backward));
  }

  fetchAll(timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<Windowed<K>, V>> {
    this.metrics.scans++;
    return this.windowed(this.inner.fetchAll(timeFrom, timeTo, backward));
  }

  all(): Iterable<KeyValue<Windowed<K>, V>> {
    this.metrics.scans++;
    return this.windowed(this.inner.all());
  }

  /**
   * Sets the flush listener of a caching layer below (typed: windowed key, values); false when there is none
   * (then the caller forwards itself). sendOldValues false lets the cache skip reading old values it need not.
   */
  setFlushListener(listener: WindowedFlushListener<K, V> | null, sendOldValues = true): boolean {
    return this.setWindowedFlushListener(listener, sendOldValues);
  }
}
