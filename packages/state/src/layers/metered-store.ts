import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { ChangelogRecord, RestorableStore, StateStore } from '../api/state-store.ts';
import type { Windowed, WindowedBytes } from '../api/window-store.ts';
import { deserializeKey, deserializeValue, serializeKey, type StoreSerde } from './store-serde.ts';
import { StoreMetrics } from './store-metrics.ts';
import { restoreDown } from './layer-support.ts';
import { setWindowedFlushListenerDown, type WindowedFlushListener } from './windowed-cache-support.ts';

/**
 * What the typed outer layers (metered key-value, window and session stores) share: the serdes and the topic
 * they serialize with, the call counters, the lifecycle passed down, and the key and value conversions.
 */
export abstract class MeteredStore<K, V, S extends StateStore> implements RestorableStore {
  readonly metrics = new StoreMetrics();
  readonly name: string;
  readonly topic: string;
  // One-entry memo of the last serialized primitive key: get(k) then put(k) — the usual read-modify-write, or a
  // record updating several windows of one key — serializes k once, and the layers below see the same bytes
  // object (their own key-string memos hit).
  private lastKey: unknown = undefined;
  private lastKeyBytes: Bytes | undefined = undefined;

  constructor(
    readonly inner: S,
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

  protected keyBytes(key: K): Bytes {
    if (key === this.lastKey && this.lastKeyBytes !== undefined) return this.lastKeyBytes;
    const kb = serializeKey(this.name, this.topic, this.keySerde, key);
    const t = typeof key;
    if (t === 'string' || t === 'number' || t === 'bigint') {
      this.lastKey = key;
      this.lastKeyBytes = kb;
    }
    return kb;
  }

  /** A range bound's bytes (undefined: unbounded). */
  protected boundBytes(key: K | undefined): Bytes | undefined {
    return key === undefined ? undefined : serializeKey(this.name, this.topic, this.keySerde, key);
  }

  protected value(vb: Bytes, kb: Bytes): V | undefined {
    const v = deserializeValue(this.name, this.topic, this.valueSerde, vb, kb);
    return v === null ? undefined : v;
  }

  /** For window and session stores: the typed rows of a range read (a row whose value deserializes to null is skipped). */
  protected windowed(it: Iterable<KeyValue<WindowedBytes, Bytes>>): KeyValue<Windowed<K>, V>[] {
    const out: KeyValue<Windowed<K>, V>[] = [];
    for (const kv of it) {
      const w = kv.key;
      const v = this.value(kv.value, w.key);
      if (v === undefined) continue;
      out.push({ key: { key: deserializeKey(this.name, this.topic, this.keySerde, w.key), window: { start: w.start, end: w.end } }, value: v });
    }
    return out;
  }

  /**
   * For window and session stores: sets the flush listener of a caching layer below (typed: windowed key,
   * values); false when there is none (then the caller forwards itself). sendOldValues false lets the cache skip
   * reading old values it need not.
   */
  protected setWindowedFlushListener(listener: WindowedFlushListener<K, V> | null, sendOldValues: boolean): boolean {
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
}
