// The kafkajs adapter's fetch buffer: fetched records kept as readers, made into records only by take(), a poll's
// worth at a time, across several fetches of a partition, with the next offset and lag each entry reports.
import test from 'ava';
import { FetchBuffer } from '../src/client/kafkajs/fetch-buffer.ts';
import { ArrayRecordReader } from '../src/client/kafkajs/record-reader.ts';
import type { RawRecord } from '../src/io/raw-record.ts';

const p0 = { topic: 't', partition: 0 };
const p1 = { topic: 't', partition: 1 };
const none = () => false;

function records(from: number, n: number): RawRecord[] {
  return Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(String(from + i)), timestamp: from + i, headers: [], offset: from + i }));
}

test('take hands out up to maxRecords across fetches of a partition, in offset order, with the next offset and lag', (t) => {
  const buffer = new FetchBuffer();
  buffer.add(p0, new ArrayRecordReader(records(0, 3)), 3, 10);
  buffer.add(p0, new ArrayRecordReader(records(3, 4)), 8, 10); // a gap at 7 (a marker): the next fetch starts at 8
  t.is(buffer.size, 7);
  t.is(buffer.sizeOf(p0), 7);
  const first = buffer.take(5, none);
  t.deepEqual(first.map((f) => [f.partition, f.records.map((r) => r.offset), f.nextOffset, f.lag]), [[0, [0, 1, 2, 3, 4], 5, 5]]);
  t.is(buffer.size, 2);
  const second = buffer.take(5, none);
  t.deepEqual(second.map((f) => [f.partition, f.records.map((r) => r.offset), f.nextOffset, f.lag]), [[0, [5, 6], 8, 2]], 'drained: the fetch position');
  t.deepEqual(buffer.take(5, none), [], 'nothing answered since');
  t.false(buffer.hasRecords(none));
});

test('an answer with no records is an empty entry; excluded partitions keep their records; drop forgets them', (t) => {
  const buffer = new FetchBuffer();
  buffer.add(p0, undefined, 20, 20);
  buffer.add(p1, new ArrayRecordReader(records(0, 2)), 2, 2);
  const excluded = (tp: { partition: number }) => tp.partition === 1;
  t.false(buffer.hasRecords(excluded));
  t.deepEqual(buffer.take(10, excluded).map((f) => [f.partition, f.records.length, f.nextOffset, f.lag]), [[0, 0, 20, 0]]);
  t.true(buffer.hasRecords(none));
  buffer.drop(p1);
  t.is(buffer.size, 0);
  t.deepEqual(buffer.take(10, none), []);
});

test('a partition read while it is fed never drains, and its readers do not pile up', (t) => {
  const buffer = new FetchBuffer();
  let next = 0;
  const seen: number[] = [];
  for (let fetch = 0; fetch < 200; fetch++) {
    buffer.add(p0, new ArrayRecordReader(records(next, 3)), next + 3, 10_000);
    next += 3;
    for (const f of buffer.take(2, none)) seen.push(...f.records.map((r) => r.offset!));
  }
  while (buffer.size > 0) for (const f of buffer.take(2, none)) seen.push(...f.records.map((r) => r.offset!));
  t.deepEqual(seen, Array.from({ length: 600 }, (_, i) => i));
});
