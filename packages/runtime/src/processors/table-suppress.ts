import type { TableSuppressNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, Headers } from '../internal-types.ts';
import type { Change } from '../task/change.ts';
import { keyString } from '@ts-streams/state';
import { change } from '../task/change.ts';
import { StreamsError } from '../errors/streams-error.ts';
import { changelogTopic } from '../topics/internal-topic-names.ts';

interface Buffered {
  readonly id: string;
  /** Buffer time: fixed when the key is first buffered (Kafka's non-resetting put). */
  readonly time: number;
  key: unknown;
  value: Change<unknown>;
  timestamp: number;
  headers: Headers;
  bytes: number;
}

/**
 * KTable#suppress (Kafka Streams' KTableSuppressProcessorSupplier over an InMemoryTimeOrderedKeyValueChangeBuffer).
 * Keeps the latest change per key; stream time is the largest timestamp this processor has seen. After each
 * record, buffered keys whose buffer time <= streamTime − suppressDuration are emitted in (buffer time, key bytes)
 * order, with the timestamp and headers of their latest update. Buffer time is the window end of the key
 * ('window-end', untilWindowCloses) or the timestamp of the first buffered update ('record-time', untilTimeLimit).
 * untilWindowCloses drops tombstones (final results only). Over maxRecords/maxBytes the buffer emits its oldest
 * entries early ('emit-early') or fails the task ('shutdown').
 * Limitations: the buffer is in memory only (no changelog: buffered updates are lost on restart), and its byte
 * size is estimated from the serialized key and new/old values plus 8 bytes, computed only when maxBytes is set.
 */
export const tableSuppress: ProcessorFactory<TableSuppressNode> = (node, env) => {
  const { suppressDurationMs, safeToDropTombstones, maxRecords, maxBytes } = node;
  const windowEnd = node.timeDefinition === 'window-end';
  const shutdownWhenFull = node.onFull === 'shutdown';
  const keySerde = env.keySerde(node.keySerde, node.name);
  const valueSerde = maxBytes !== Infinity ? env.valueSerde(node.valueSerde, node.name) : undefined;
  const sendOldValues = env.sendOldValues(node.name);
  const topic = changelogTopic(env.applicationId, node.bufferName);
  const index = new Map<string, Buffered>();
  /** Min-heap by (time, id); an entry leaves it only when evicted, so it never goes stale. */
  const heap: Buffered[] = [];
  let bufferBytes = 0;
  let observedStreamTime = -1;
  let ctx: ProcessorContext<any, any>;

  const less = (a: Buffered, b: Buffered) => a.time < b.time || (a.time === b.time && a.id < b.id);
  const push = (e: Buffered) => {
    heap.push(e);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): Buffered => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const rr = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (rr < heap.length && less(heap[rr]!, heap[m]!)) m = rr;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };

  const sizeOf = (keyBytes: Uint8Array, value: Change<unknown>): number => {
    if (!valueSerde) return 0;
    const n = value.newValue === null ? 0 : valueSerde.serialize(topic, value.newValue)?.length ?? 0;
    const o = value.oldValue === null ? 0 : valueSerde.serialize(topic, value.oldValue)?.length ?? 0;
    return keyBytes.length + n + o + 8;
  };

  const emitOne = () => {
    const e = pop();
    index.delete(e.id);
    bufferBytes -= e.bytes;
    if (e.value.newValue === null && safeToDropTombstones) return;
    ctx.forward({ key: e.key, value: change(e.value.newValue, sendOldValues ? e.value.oldValue : null), timestamp: e.timestamp, headers: e.headers });
  };
  const overCapacity = () => index.size > maxRecords || bufferBytes > maxBytes;

  return {
    init(c) {
      ctx = c;
    },
    process(r) {
      if (r.timestamp > observedStreamTime) observedStreamTime = r.timestamp;
      const value = r.value as Change<unknown>;
      const keyBytes = keySerde.serialize(topic, r.key, r.headers);
      if (keyBytes === null) throw new StreamsError(`Step '${node.name}': suppress() cannot buffer a record whose key serializes to null.`);
      const id = keyString(keyBytes);
      const bytes = sizeOf(keyBytes, value);
      const prev = index.get(id);
      if (prev) {
        bufferBytes += bytes - prev.bytes;
        prev.key = r.key;
        prev.value = value;
        prev.timestamp = r.timestamp;
        prev.headers = r.headers;
        prev.bytes = bytes;
      } else {
        const time = windowEnd ? (r.key as { window: { end: number } }).window.end : r.timestamp;
        const e: Buffered = { id, time, key: r.key, value, timestamp: r.timestamp, headers: r.headers, bytes };
        index.set(id, e);
        push(e);
        bufferBytes += bytes;
      }
      const expiryTime = observedStreamTime - suppressDurationMs;
      while (heap.length > 0 && heap[0]!.time <= expiryTime) emitOne();
      if (overCapacity()) {
        if (shutdownWhenFull) {
          throw new StreamsError(
            `${node.name} buffer exceeded its max capacity. Currently [${index.size}/${maxRecords}] records and [${bufferBytes}/${maxBytes}] bytes.`,
          );
        }
        while (heap.length > 0 && overCapacity()) emitOne();
      }
    },
  };
};
