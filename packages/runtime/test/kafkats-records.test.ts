// What the kafkats adapter makes of a partition's records bytes in a Fetch answer (kafkats-records.ts), on record
// batches encoded by @kafkats/client itself: records from the fetch offset on, control batches and aborted
// transactions left out, a batch the broker cut at the answer's byte limit left for the next fetch, corruption an
// error; and the errors it maps (kafkats-errors.ts).
import test from 'ava';
import { createRecordBatch, encodeRecordBatchSync, ErrorCode, KafkaProtocolError } from '@kafkats/client';
import { decodeFetchedRecords, type FetchedRecords } from '../src/client/kafkats/kafkats-records.ts';
import { reasonOf, toClientError } from '../src/client/kafkats/kafkats-errors.ts';
import { ClientError } from '../src/errors/client-error.ts';

function batch(baseOffset: number, values: readonly string[], options: { producerId?: bigint; transactional?: boolean; control?: boolean } = {}): Buffer {
  const made = createRecordBatch(
    values.map((value, i) => ({ key: `k${baseOffset + i}`, value, timestamp: 1_000 + baseOffset + i, headers: (i === 0 ? { h: 'x' } : {}) as Record<string, string> })),
    BigInt(baseOffset),
    1_000n + BigInt(baseOffset),
    options.producerId ?? -1n,
    options.producerId === undefined ? -1 : 0,
    options.producerId === undefined ? -1 : 0,
  );
  return encodeRecordBatchSync(made, { isTransactional: options.transactional ?? false, isControlBatch: options.control ?? false });
}

function decode(data: Buffer, fetchOffset: number, readCommitted = false, aborted: { producerId: bigint; firstOffset: bigint }[] = []): FetchedRecords {
  const decoded = decodeFetchedRecords(data, fetchOffset, readCommitted, aborted);
  if (decoded instanceof Promise) throw new Error('uncompressed batches decode synchronously');
  return decoded;
}

const values = (f: FetchedRecords) => f.records.map((r) => Buffer.from(r.value!).toString());

test('records from the fetch offset on, with offsets, timestamps, keys and headers; the next fetch starts past the last batch', (t) => {
  const data = Buffer.concat([batch(10, ['a', 'b', 'c']), batch(13, ['d', 'e'])]);
  const all = decode(data, 10);
  t.deepEqual(values(all), ['a', 'b', 'c', 'd', 'e']);
  t.deepEqual(all.records.map((r) => r.offset), [10, 11, 12, 13, 14]);
  t.deepEqual(all.records.map((r) => r.timestamp), [1_010, 1_011, 1_012, 1_013, 1_014]);
  t.is(Buffer.from(all.records[0]!.key!).toString(), 'k10');
  t.deepEqual(all.records[0]!.headers.map((h) => [h.key, Buffer.from(h.value!).toString()]), [['h', 'x']]);
  t.deepEqual(all.records[1]!.headers, []);
  t.is(all.nextOffset, 15);
  // A fetch from the middle of a batch: the broker answers from the batch's start; what is before the offset is not returned.
  t.deepEqual(values(decode(data, 12)), ['c', 'd', 'e']);
});

test('a batch cut at the answer byte limit is left for the next fetch — the last one, or the only one', (t) => {
  const first = batch(0, ['a', 'b']);
  const second = batch(2, ['c', 'd']);
  const cutLast = decode(Buffer.concat([first, second.subarray(0, second.length - 5)]), 0);
  t.deepEqual(values(cutLast), ['a', 'b']);
  t.is(cutLast.nextOffset, 2);
  const cutOnly = decode(second.subarray(0, 20), 2);
  t.deepEqual(cutOnly.records, []);
  t.is(cutOnly.nextOffset, undefined, 'nothing complete: the position does not move');
});

test('a whole batch that does not decode is corruption: a fatal ClientError', (t) => {
  const data = batch(0, ['a', 'b']);
  data[data.length - 1] ^= 0xff; // the last record's bytes: the batch's CRC no longer matches
  const error = t.throws(() => decode(data, 0), { instanceOf: ClientError });
  t.is(error.reason, 'fatal');
  t.regex(error.message, /corrupt/);
});

test('control batches are skipped but moved past; under read_committed, records of aborted transactions are left out', (t) => {
  const producerId = 7n;
  const data = Buffer.concat([
    batch(0, ['t1', 't2'], { producerId, transactional: true }),
    batch(2, ['abort-marker'], { producerId, transactional: true, control: true }),
    batch(3, ['plain']),
  ]);
  const committedRead = decode(data, 0, true, [{ producerId, firstOffset: 0n }]);
  t.deepEqual(values(committedRead), ['plain']);
  t.is(committedRead.nextOffset, 4);
  t.deepEqual(values(decode(data, 0, false)), ['t1', 't2', 'plain'], 'read_uncommitted: every data record, no marker');
  const onlyMarker = decode(batch(5, ['commit-marker'], { producerId, transactional: true, control: true }), 5);
  t.deepEqual(onlyMarker.records, []);
  t.is(onlyMarker.nextOffset, 6, 'a fetch that found only a marker still moves on');
});

test("@kafkats/client's errors as the seam's reasons", (t) => {
  t.is(reasonOf(new KafkaProtocolError(ErrorCode.NotLeaderOrFollower)), 'unreachable');
  t.is(reasonOf(new KafkaProtocolError(ErrorCode.UnknownTopicOrPartition)), 'unknown-topic');
  t.is(reasonOf(new KafkaProtocolError(ErrorCode.IllegalGeneration)), 'rebalanced');
  t.is(reasonOf(new KafkaProtocolError(ErrorCode.OffsetOutOfRange)), 'offset-out-of-range');
  t.is(reasonOf(new KafkaProtocolError(ErrorCode.TopicAuthorizationFailed)), 'fatal');
  t.is(reasonOf(Object.assign(new Error('Connection to 127.0.0.1:1 failed: connect ECONNREFUSED'), { name: 'ConnectionError' })), 'unreachable');
  t.is(reasonOf(new Error('Produce failed for t-0: max retries exceeded')), 'unreachable');
  const tooLarge = toClientError(new Error('Produce failed for t-0: MessageTooLarge'), 'Producing 1 records to t');
  t.is(tooLarge.reason, 'fatal');
  t.regex(tooLarge.message, /^Producing 1 records to t failed \(fatal\): Produce failed for t-0: MessageTooLarge$/);
});
