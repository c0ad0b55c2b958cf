import type { KeyValue } from '../api/bytes.ts';
import type { SessionBytesStore, SessionStore } from '../api/session-store.ts';
import type { Windowed } from '../api/window-store.ts';
import { serializeKey, serializeValue } from './store-serde.ts';
import { SAMPLE_MASK } from './store-metrics.ts';
import { MeteredStore } from './metered-store.ts';
import type { WindowedFlushListener } from './windowed-cache-support.ts';

/** The typed outer layer of a session store stack (Kafka Streams' MeteredSessionStore). */
export class MeteredSessionStore<K, V> extends MeteredStore<K, V, SessionBytesStore> implements SessionStore<K, V> {
  get retentionPeriod(): number {
    return this.inner.retentionPeriod;
  }

  observedStreamTime(): number {
    return this.inner.observedStreamTime();
  }

  put(session: Windowed<K>, value: V | null): void {
    const m = this.metrics;
    const sample = (++m.puts & SAMPLE_MASK) === 0;
    const t = sample ? performance.now() : 0;
    const kb = serializeKey(this.name, this.topic, this.keySerde, session.key);
    this.inner.put({ key: kb, start: session.window.start, end: session.window.end }, serializeValue(this.name, this.topic, this.valueSerde, value, kb));
    if (sample) {
      m.putSampledMs += performance.now() - t;
      m.putSamples++;
    }
  }

  remove(session: Windowed<K>): void {
    this.metrics.deletes++;
    const kb = serializeKey(this.name, this.topic, this.keySerde, session.key);
    this.inner.remove({ key: kb, start: session.window.start, end: session.window.end });
  }

  findSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<Windowed<K>, V>> {
    const m = this.metrics;
    const sample = (++m.gets & SAMPLE_MASK) === 0;
    const t = sample ? performance.now() : 0;
    const kb = serializeKey(this.name, this.topic, this.keySerde, key);
    const out: KeyValue<Windowed<K>, V>[] = [];
    for (const kv of this.inner.findSessions(kb, earliestSessionEndTime, latestSessionStartTime)) {
      const v = this.value(kv.value, kb);
      if (v !== undefined) out.push({ key: { key, window: { start: kv.key.start, end: kv.key.end } }, value: v });
    }
    if (sample) {
      m.getSampledMs += performance.now() - t;
      m.getSamples++;
    }
    return out;
  }

  /** Sessions of keys in [keyFrom, keyTo] (inclusive, undefined = unbounded), ordered by end, key bytes, start. */
  findSessionsRange(keyFrom: K | undefined, keyTo: K | undefined, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<Windowed<K>, V>> {
    this.metrics.scans++;
    return this.windowed(this.inner.findSessionsRange(this.boundBytes(keyFrom), this.boundBytes(keyTo), earliestSessionEndTime, latestSessionStartTime));
  }

  /** Sessions of every key ending in [earliest, latest], by end, key bytes, start (SessionBytesStore#findSessionsByEnd). */
  findSessionsByEnd(earliestSessionEndTime: number, latestSessionEndTime: number): Iterable<KeyValue<Windowed<K>, V>> {
    this.metrics.scans++;
    return this.windowed(this.inner.findSessionsByEnd(earliestSessionEndTime, latestSessionEndTime));
  }

  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | undefined {
    this.metrics.gets++;
    const kb = serializeKey(this.name, this.topic, this.keySerde, key);
    const vb = this.inner.fetchSession(kb, sessionStart, sessionEnd);
    return vb === undefined ? undefined : this.value(vb, kb);
  }

  /** All sessions of `key` (Kafka's fetch(key) = findSessions(key, 0, Long.MAX_VALUE)). */
  fetch(key: K): Iterable<KeyValue<Windowed<K>, V>> {
    return this.findSessions(key, 0, Number.MAX_SAFE_INTEGER);
  }

  /**
   * Sets the flush listener of a caching layer below (typed: session key, values); false when there is none
   * (then the caller forwards itself). sendOldValues false lets the cache skip reading old values it need not.
   */
  setFlushListener(listener: WindowedFlushListener<K, V> | null, sendOldValues = true): boolean {
    return this.setWindowedFlushListener(listener, sendOldValues);
  }

}
