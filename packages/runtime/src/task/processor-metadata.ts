import type { ProcessorContext } from '@ts-streams/dsl';
import { StreamsError } from '../errors/streams-error.ts';
import { javaHashMapOrder } from './java-hash-map-order.ts';

/**
 * A task's processor metadata (Kafka Streams' ProcessorMetadata): name → long values its processors keep across a
 * restart or a move of the task, committed with every input offset (task/topic-partition-metadata.ts) and read back
 * when the task starts again (StreamTask#initializeMetadata). Kafka Streams' only user, and ours: the aggregations
 * with emitStrategy('on-window-close') (window, sliding-window and session), each keeping the window close time of
 * its last emit of closed windows under its store's name — so after a restart, or when Kafka Streams takes the task
 * over or hands it to us, closed windows already emitted are not emitted again.
 *
 * Values are JavaScript numbers: a long beyond ±2^53 (never a time in milliseconds) reads as the nearest double.
 */
export class ProcessorMetadata {
  /** In insertion order (a key put again keeps its place, as in Java's HashMap): the order serialize() starts from. */
  private readonly entries = new Map<string, number>();
  /**
   * Whether a value was put since the last commit (Kafka's needsCommit): then the next commit writes the metadata to
   * every input partition of the task, not only those it processed records of. Cleared by StreamTask#postCommit.
   */
  needsCommit = false;

  /** The value kept under `key`; undefined when none. */
  get(key: string): number | undefined {
    return this.entries.get(key);
  }

  /** Keeps `value` under `key` (Kafka's ProcessorContext#addProcessorMetadataKeyValue), to be committed. */
  put(key: string, value: number): void {
    this.entries.set(key, value);
    this.needsCommit = true;
  }

  /**
   * Takes in the metadata committed with one input partition (Kafka's ProcessorMetadata#update, called for each of the
   * task's partitions when it starts): keys missing here are added, present ones keep the larger value. Not a change
   * to commit (needsCommit stays as it is).
   */
  update(other: ReadonlyMap<string, number>): void {
    for (const [key, value] of other) {
      const mine = this.entries.get(key);
      if (mine === undefined || mine < value) this.entries.set(key, value);
    }
  }

  /** The keys and values, in insertion order. */
  toMap(): ReadonlyMap<string, number> {
    return this.entries;
  }

  /**
   * Kafka's ProcessorMetadata#serialize: nothing when empty; else the number of entries (int32 big-endian), then for
   * each its key's UTF-8 length (int32), the key's UTF-8 bytes and the value (int64), in the order Java's HashMap
   * iterates them (java-hash-map-order.ts) — byte for byte what Kafka Streams writes for the same puts.
   */
  serialize(): Buffer {
    if (this.entries.size === 0) return EMPTY;
    const keys = javaHashMapOrder(this.entries.keys()).map((k) => ({ key: k, bytes: Buffer.from(k, 'utf8') }));
    let length = 4;
    for (const k of keys) length += 4 + k.bytes.length + 8;
    const b = Buffer.allocUnsafe(length);
    let at = b.writeInt32BE(keys.length, 0);
    for (const { key, bytes } of keys) {
      at = b.writeInt32BE(bytes.length, at);
      at += bytes.copy(b, at);
      at = b.writeBigInt64BE(toLong(this.entries.get(key)!), at);
    }
    return b;
  }
}

const EMPTY = Buffer.alloc(0);
const MAX_LONG = 2n ** 63n - 1n;
const MIN_LONG = -(2n ** 63n);

/** A value as a long: Long.MAX_VALUE read back is 2^63 as a double, written back as Long.MAX_VALUE again. */
function toLong(value: number): bigint {
  const v = BigInt(Math.trunc(value));
  return v > MAX_LONG ? MAX_LONG : v < MIN_LONG ? MIN_LONG : v;
}

/**
 * Kafka's ProcessorMetadata#deserialize: the entries serialize() wrote, in their order (a key twice: the last value,
 * as a HashMap put). Nothing (no bytes) is an empty map; bytes it cannot read (too short, a negative count or key
 * length, more entries than the bytes hold) throw, as Kafka's checks and ByteBuffer reads do — its caller
 * (TopicPartitionMetadata#decode) then goes on with no processor metadata. What follows the last entry is not read.
 */
export function deserializeProcessorMetadata(bytes: Uint8Array): Map<string, number> {
  const out = new Map<string, number>();
  if (bytes.length === 0) return out;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (what: string) => new RangeError(`processor metadata: ${what}`);
  if (b.length < 4) throw fail('no entry count');
  const count = b.readInt32BE(0);
  // Kafka Streams 4.4 refuses a count more entries than the bytes could hold (each at least 12) before reading any.
  if (count < 0 || count > Math.floor((b.length - 4) / 12)) throw fail(`entry count ${count} for ${b.length - 4} bytes`);
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (b.length - at < 4) throw fail(`entry ${i} has no key length`);
    const keyLength = b.readInt32BE(at);
    at += 4;
    if (keyLength < 0 || b.length - at < keyLength + 8) throw fail(`entry ${i} is cut short`);
    const key = b.toString('utf8', at, at + keyLength);
    at += keyLength;
    out.set(key, Number(b.readBigInt64BE(at)));
    at += 8;
  }
  return out;
}

const PROCESSOR_METADATA = Symbol('ts-streams.processorMetadata');

/** The processor metadata of the task a processor context belongs to (Kafka's InternalProcessorContext#processorMetadata). */
export function processorMetadataOf(ctx: ProcessorContext<any, any>): ProcessorMetadata {
  const metadata = (ctx as unknown as { [PROCESSOR_METADATA]?: ProcessorMetadata })[PROCESSOR_METADATA];
  if (!metadata) throw new StreamsError('This processor context has no processor metadata (not created by a ts-streams task).');
  return metadata;
}

/** Gives the contexts of a task's processors its processor metadata (see processorMetadataOf). */
export function attachProcessorMetadata(ctx: ProcessorContext<any, any>, metadata: ProcessorMetadata): ProcessorContext<any, any> {
  Object.defineProperty(ctx, PROCESSOR_METADATA, { value: metadata, enumerable: false });
  return ctx;
}
