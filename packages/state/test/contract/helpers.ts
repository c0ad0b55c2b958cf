import type { ChangelogRecord, ChangelogSink, KeyValue, StoreSerde } from '../../src/index.ts';
import { compareBytes } from '../../src/index.ts';

export const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
export const s = (x: string): Uint8Array => new TextEncoder().encode(x);
export const str = (x: Uint8Array): string => new TextDecoder().decode(x);
export const hex = (x: Uint8Array): string => Buffer.from(x).toString('hex');

/** Keys (as hex) of a scan, in order. */
export const keysOf = (it: Iterable<KeyValue<Uint8Array, Uint8Array>>): string[] => Array.from(it, (kv) => hex(kv.key));
export const pairsOf = (it: Iterable<KeyValue<Uint8Array, Uint8Array>>): [string, string][] => Array.from(it, (kv) => [hex(kv.key), hex(kv.value)]);
export const sortedHex = (keys: Uint8Array[]): string[] => [...keys].sort(compareBytes).map(hex);

/** A sink that collects every record, per store. */
export class CollectingSink implements ChangelogSink {
  readonly records: ChangelogRecord[] = [];
  readonly stores: string[] = [];
  send(storeName: string, record: ChangelogRecord): void {
    this.stores.push(storeName);
    this.records.push(record);
  }
}

export const stringSerde: StoreSerde<string> = {
  name: 'String',
  serialize: (_t, v) => (v === null ? null : new TextEncoder().encode(v)),
  deserialize: (_t, x) => (x === null ? null : new TextDecoder().decode(x)),
};

/** An 8-byte big-endian long serde on JS numbers; throws on any other length. */
export const longSerde: StoreSerde<number> = {
  name: 'Long',
  serialize: (_t, v) => {
    if (v === null) return null;
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigInt64(0, BigInt(v));
    return out;
  },
  deserialize: (_t, x) => {
    if (x === null) return null;
    if (x.length !== 8) throw new Error(`Size of data received by LongDeserializer is not 8 (${x.length})`);
    return Number(new DataView(x.buffer, x.byteOffset, 8).getBigInt64(0));
  },
};

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
