import type { Serde } from '@ts-streams/dsl';
import type { RawRecord } from '../io/raw-record.ts';
import type { TopicSerdes } from './topic-serdes.ts';

/**
 * A record as one JSON line (what `streams tail` and `streams run --print` print): topic, partition, offset,
 * timestamp, key and value decoded with the serdes, headers as [{ key, value }] with UTF-8 values. Bytes print as hex,
 * bigints as strings. A key or value its serde cannot read prints as hex with `keyError` / `valueError` saying why,
 * so one bad record does not stop the tail.
 */
export function recordLine(topic: string, partition: number, record: RawRecord, serdes: TopicSerdes): string {
  const line: Record<string, unknown> = { topic, partition, offset: record.offset ?? null, timestamp: record.timestamp };
  decodeInto(line, 'key', topic, record.key, record, serdes.key);
  decodeInto(line, 'value', topic, record.value, record, serdes.value);
  line.headers = record.headers.map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value).toString('utf8') }));
  return JSON.stringify(line, jsonReplacer);
}

function decodeInto(line: Record<string, unknown>, side: 'key' | 'value', topic: string, bytes: Uint8Array | null, record: RawRecord, serde: Serde<unknown>): void {
  try {
    line[side] = serde.deserialize(topic, bytes, record.headers);
  } catch (e) {
    line[side] = bytes;
    line[`${side}Error`] = `${serde.name} cannot read it: ${(e as Error)?.message ?? String(e)}`;
  }
}

/** JSON.stringify's replacer: bytes as hex (before Buffer#toJSON turns them into { type, data }), bigints as text. */
function jsonReplacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex');
  if (typeof value === 'bigint') return value.toString();
  return value;
}
