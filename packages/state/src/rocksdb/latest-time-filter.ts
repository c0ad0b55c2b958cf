import type { Bytes } from '../api/bytes.ts';

/** Slots of a filter: 8,192 (64 KiB) — a task's window store seldom holds more live keys than that, and more only costs selectivity. */
const SLOT_BITS = 13;

/**
 * The latest time a segmented RocksDB store was given per hashed record key: a read of times all after it cannot
 * find a row of that key, so the store answers it without a RocksDB seek.
 *
 * Why: a RocksDB seek (a point read or an iterator created, positioned and closed) costs 5–15 µs of CPU through
 * the binding here, and the window-store workloads mostly ask for what is not there — a hopping or tumbling
 * aggregation's first read of each new window, a stream-stream join's or a Processor API fetch of a key not seen
 * within the window. Profiled on the driver with RocksDB stores (W8, a stream-stream join of 10 s windows), those
 * scans were 48 % of the CPU.
 *
 * Each slot holds the largest time noted for any key hashing to it (a collision only makes the answer "maybe",
 * never wrong). Slots start at `floor`: a store reopened over data it did not note in this process starts them at
 * its observed stream time, which no stored time exceeds. Deletes and expiry never lower a slot (also only "maybe").
 */
export class LatestTimeFilter {
  private readonly slots: Float64Array;
  private readonly mask: number;

  constructor(floor: number) {
    this.slots = new Float64Array(1 << SLOT_BITS).fill(floor);
    this.mask = (1 << SLOT_BITS) - 1;
  }

  /** A row of `key` at `time` is (or may be) stored. */
  note(key: Bytes, time: number): void {
    const i = hash(key) & this.mask;
    if (this.slots[i]! < time) this.slots[i] = time;
  }

  /** The largest time any row of `key` may have: no row of it is later. */
  latest(key: Bytes): number {
    return this.slots[hash(key) & this.mask]!;
  }
}

/** FNV-1a over the key bytes (keys are short: a few to a few dozen bytes). */
function hash(key: Bytes): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}
