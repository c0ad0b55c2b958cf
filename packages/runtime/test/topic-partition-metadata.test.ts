// The metadata committed with input offsets, against what Kafka Streams 4.4.0's TopicPartitionMetadata#encode writes
// (the vectors printed by it): ts-streams commits the same text, and reads Kafka Streams' — with or without
// processor metadata after the partition time — to the same partition time.
import test from 'ava';
import { decodeTopicPartitionMetadata, encodeTopicPartitionMetadata, UNKNOWN_PARTITION_TIME } from '../src/task/topic-partition-metadata.ts';

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
