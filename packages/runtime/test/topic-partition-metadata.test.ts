// The metadata committed with input offsets, against what Kafka Streams 4.4.0's TopicPartitionMetadata#encode writes
// (the vectors printed by it): ts-streams commits the same text, and reads Kafka Streams' — with or without
// processor metadata after the partition time — to the same partition time.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { decodeTopicPartitionMetadata, encodeTopicPartitionMetadata, readTopicPartitionMetadata, UNKNOWN_PARTITION_TIME } from '../src/task/topic-partition-metadata.ts';
import { ProcessorMetadata } from '../src/task/processor-metadata.ts';
import { javaHashMapOrder, javaStringHash } from '../src/task/java-hash-map-order.ts';

const KAFKA_STREAMS: readonly [number, string][] = [
  [10_000, 'AgAAAAAAACcQ'],
  [-1, 'Av//////////'],
  [1_796_527_094_818, 'AgAAAaJJW/wi'],
];

test('a partition time is committed as Kafka Streams commits it', (t) => {
  for (const [time, text] of KAFKA_STREAMS) t.is(encodeTopicPartitionMetadata(time), text);
});

test("Kafka Streams' committed metadata reads back to its partition time", (t) => {
  for (const [time, text] of KAFKA_STREAMS) t.is(decodeTopicPartitionMetadata(text), time);
  // with a processor's metadata after the partition time (an aggregation emitting on window close)
  t.is(decodeTopicPartitionMetadata('AgAAAaJJW/wiAAAAAQAAAChLU1RSRUFNLUFHR1JFR0FURS1TVEFURS1TVE9SRS0wMDAwMDAwMDAxAAAAAAAEk+A='), 1_796_527_094_818);
  // version 1: the partition time alone
  t.is(decodeTopicPartitionMetadata(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0x27, 0x10]).toString('base64')), 10_000);
});

test('no metadata, or metadata another writer left, is an unknown partition time (as Kafka Streams, which goes on without it)', (t) => {
  for (const other of [undefined, null, '', 'not base64 at all', 'AgAA', Buffer.from([3, 0, 0, 0, 0, 0, 0, 0, 1]).toString('base64'), 'event-id-3']) {
    t.is(decodeTopicPartitionMetadata(other), UNKNOWN_PARTITION_TIME, String(other));
  }
});

// Processor metadata (an emit-on-window-close aggregation's last emit), against Kafka Streams 4.4.0 itself:
// fixtures/topic-partition-metadata-vectors.json, printed by conformance/src/main/java/dev/tsstreams/conformance/
// TopicPartitionMetadataVectors.java — its TopicPartitionMetadata#encode after puts in a given order, its #decode of
// committed texts (malformed ones included), its ProcessorMetadata#update of one partition's metadata by another's.
interface Vectors {
  readonly encode: readonly { readonly partitionTime: string; readonly puts: readonly [string, string][]; readonly text: string }[];
  readonly decode: readonly { readonly text: string; readonly partitionTime: string; readonly entries: readonly [string, string][] }[];
  readonly merge: { readonly first: readonly [string, string][]; readonly second: readonly [string, string][]; readonly merged: readonly [string, string][]; readonly needsCommit: boolean };
}
const vectors = JSON.parse(readFileSync(new URL('./fixtures/topic-partition-metadata-vectors.json', import.meta.url), 'utf8')) as Vectors;
/** Kafka's longs (decimal strings) as our numbers, sorted by name: readers take entries in any order. */
const entries = (list: Iterable<readonly [string, string | number]>) => [...list].map(([k, v]) => [k, Number(v)] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

test('processor metadata is committed byte for byte as Kafka Streams commits it, entries in its HashMap order', (t) => {
  t.true(vectors.encode.length >= 8);
  for (const v of vectors.encode) {
    const metadata = new ProcessorMetadata();
    for (const [key, value] of v.puts) metadata.put(key, Number(value));
    t.is(encodeTopicPartitionMetadata(Number(v.partitionTime), metadata.serialize()), v.text, JSON.stringify(v.puts));
  }
});

test("committed metadata reads as Kafka Streams reads it: partition time and processor metadata, malformed text tolerated alike", (t) => {
  t.true(vectors.decode.length >= 25);
  for (const v of vectors.decode) {
    const read = readTopicPartitionMetadata(v.text);
    // Kafka keeps any long as partition time; ours takes one no record can have (below -1, past 2^53) as unknown.
    const time = BigInt(v.partitionTime);
    t.is(read.partitionTime, time >= -1n && time <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(time) : UNKNOWN_PARTITION_TIME, v.text);
    t.deepEqual(entries(read.processorMetadata), entries(v.entries), v.text);
    t.is(decodeTopicPartitionMetadata(v.text), read.partitionTime);
  }
  // What we write reads back to what was put, whatever the order it was written in.
  for (const v of vectors.encode) {
    const read = readTopicPartitionMetadata(v.text);
    const last = new Map(v.puts);
    t.deepEqual(entries(read.processorMetadata), entries(last), v.text);
  }
});

test("a task's partitions' processor metadata merge as Kafka Streams merges them: every name, the larger value", (t) => {
  const { first, second, merged, needsCommit } = vectors.merge;
  const metadata = new ProcessorMetadata();
  metadata.update(new Map(first.map(([k, v]) => [k, Number(v)])));
  metadata.update(new Map(second.map(([k, v]) => [k, Number(v)])));
  t.deepEqual(entries(metadata.toMap()), entries(merged));
  t.is(metadata.needsCommit, needsCommit);
});

test("Java's HashMap order: buckets of the spread String#hashCode, insertion order within one, resized past 3/4 full or at 8 in a bucket", (t) => {
  t.is(javaStringHash(''), 0);
  t.is(javaStringHash('counts'), -1354575548);
  t.is(javaStringHash('päge'), 3558994);
  // counts-per-minute, sessions and ...11 share bucket 2 of 16, ...04 is in bucket 6
  t.deepEqual(javaHashMapOrder(['KSTREAM-AGGREGATE-STATE-STORE-0000000004', 'counts-per-minute', 'sessions', 'KSTREAM-AGGREGATE-STATE-STORE-0000000011', 'counts-per-minute']),
    ['counts-per-minute', 'sessions', 'KSTREAM-AGGREGATE-STATE-STORE-0000000011', 'KSTREAM-AGGREGATE-STATE-STORE-0000000004']);
});
