// Our Fetch decoding (record-set-decoder.ts, record-batch-reader.ts, fetch-response-decoder.ts) against record
// batches kafkajs itself encodes (its producer's encoder), and against kafkajs's own decoder reading the same bytes:
// the same records, offsets, timestamps and headers; control batches, aborted transactions, LogAppendTime,
// compaction gaps, truncated and corrupt batches handled as Java's consumer does.
import { createRequire } from 'node:module';
import test from 'ava';
import { decodeRecordSet, type DecodedRecordSet, type RecordSetContext } from '../src/client/kafkajs/record-set-decoder.ts';
import { decodeFetchResponse } from '../src/client/kafkajs/fetch-response-decoder.ts';
import { crc32c } from '../src/client/record-batch/crc32c.ts';
import { fromKafkajsMessage } from '../src/client/kafkajs/kafkajs-records.ts';
import { ClientError } from '../src/errors/client-error.ts';
import type { RawRecord } from '../src/io/raw-record.ts';

const kafkajs = createRequire(import.meta.url);
interface KafkajsEncoder {
  readonly buffer: Buffer;
  writeInt8(v: number): KafkajsEncoder;
  writeInt16(v: number): KafkajsEncoder;
  writeInt32(v: number): KafkajsEncoder;
  writeInt64(v: number | string): KafkajsEncoder;
  writeString(v: string): KafkajsEncoder;
  writeVarInt(v: number): KafkajsEncoder;
  writeVarLong(v: number): KafkajsEncoder;
  writeVarIntBytes(v: Buffer | null): KafkajsEncoder;
  writeVarIntString(v: string): KafkajsEncoder;
  writeBuffer(v: Buffer): KafkajsEncoder;
  writeEncoder(v: KafkajsEncoder): KafkajsEncoder;
}
const Encoder = kafkajs('kafkajs/src/protocol/encoder.js') as new () => KafkajsEncoder;
const Decoder = kafkajs('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => unknown;
const { RecordBatch } = kafkajs('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: (o: object) => Promise<KafkajsEncoder> };
const Record = kafkajs('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (o: object) => KafkajsEncoder;
const kafkajsDecodeMessages = kafkajs('kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js') as (d: unknown) => Promise<unknown[]>;
const kafkajsFetchV11 = kafkajs('kafkajs/src/protocol/requests/fetch/v11/response.js') as { decode(raw: Buffer): Promise<any> };
const KafkajsBatch = kafkajs('kafkajs/src/consumer/batch.js') as new (topic: string, fetchedOffset: string, data: object) => { messages: any[] };
const kafkajsCrc32c = kafkajs('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;
const MessageSet = kafkajs('kafkajs/src/protocol/messageSet/index.js') as (o: object) => KafkajsEncoder;
const GZIP = 1;

interface TestRecord {
  readonly offsetDelta: number;
  readonly timestampDelta: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** In wire order; kafkajs's encoder takes an object (grouped by key), so these are written by hand. */
  readonly headers?: readonly (readonly [string, Buffer | null])[];
}

/** One record as kafkajs's encoder writes it, or by hand (with kafkajs's Encoder) when it has headers. */
function encodeRecord(r: TestRecord): KafkajsEncoder {
  if (r.headers === undefined) return Record({ offsetDelta: r.offsetDelta, timestampDelta: r.timestampDelta, key: r.key, value: r.value });
  const body = new Encoder().writeInt8(0).writeVarLong(r.timestampDelta).writeVarInt(r.offsetDelta).writeVarIntBytes(r.key).writeVarIntBytes(r.value).writeVarInt(r.headers.length);
  for (const [k, v] of r.headers) body.writeVarIntString(k).writeVarIntBytes(v);
  return new Encoder().writeVarInt(body.buffer.length).writeBuffer(body.buffer);
}

interface BatchOptions {
  readonly baseOffset: number;
  readonly baseTimestamp?: number;
  readonly maxTimestamp?: number;
  readonly records: readonly TestRecord[];
  readonly lastOffsetDelta?: number;
  readonly compression?: number;
  readonly transactional?: boolean;
  readonly producerId?: number;
  /** Attribute bits kafkajs's encoder does not set: 0x08 LogAppendTime, 0x20 control. */
  readonly extraAttributes?: number;
}

/** A record batch from kafkajs's own encoder (attribute bits it cannot set added after, the CRC recomputed by kafkajs). */
async function batch(o: BatchOptions): Promise<Buffer> {
  const encoded = (
    await RecordBatch({
      compression: o.compression ?? 0,
      firstOffset: o.baseOffset,
      firstTimestamp: o.baseTimestamp ?? 1_700_000_000_000,
      maxTimestamp: o.maxTimestamp ?? 1_700_000_000_000,
      lastOffsetDelta: o.lastOffsetDelta ?? Math.max(0, ...o.records.map((r) => r.offsetDelta)),
      transactional: o.transactional ?? false,
      producerId: o.producerId ?? -1,
      records: o.records.map(encodeRecord),
    })
  ).buffer;
  const bytes = Buffer.from(encoded);
  if (o.extraAttributes !== undefined) {
    bytes.writeInt16BE(bytes.readInt16BE(21) | o.extraAttributes, 21);
    bytes.writeUInt32BE(kafkajsCrc32c(bytes.subarray(21)), 17);
  }
  return bytes;
}

/** A control batch (a transaction's COMMIT or ABORT marker) of producer `producerId` at `offset`. */
function marker(offset: number, producerId: number, type: 'commit' | 'abort'): Promise<Buffer> {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(type === 'abort' ? 0 : 1, 2);
  const value = Buffer.from([0, 0, 0, 0, 0, 0]);
  return batch({ baseOffset: offset, records: [{ offsetDelta: 0, timestampDelta: 0, key, value }], transactional: true, producerId, extraAttributes: 0x20 });
}

function plainRecords(n: number, from = 0): TestRecord[] {
  return Array.from({ length: n }, (_, i) => ({ offsetDelta: i, timestampDelta: i * 3, key: Buffer.from(`k${from + i}`), value: Buffer.from(`value ${from + i}`) }));
}

const context = (o: Partial<RecordSetContext> = {}): RecordSetContext => ({
  topic: 't', partition: 0, fetchOffset: 0, readCommitted: false, abortedTransactions: [], checkCrcs: true, ...o,
});

async function decode(bytes: Buffer, o: Partial<RecordSetContext> = {}): Promise<DecodedRecordSet & { all: RawRecord[] }> {
  const d = await decodeRecordSet(bytes, 0, bytes.length, context(o));
  const all: RawRecord[] = [];
  d.records.read(Number.MAX_SAFE_INTEGER, all);
  return { ...d, all };
}

/** kafkajs's reading of the same record set (its decoder, its Batch's filtering), as seam records. */
async function kafkajsReading(bytes: Buffer, fetchOffset: number): Promise<RawRecord[]> {
  const framed = Buffer.concat([Buffer.alloc(4), bytes]);
  framed.writeInt32BE(bytes.length, 0);
  const messages = await kafkajsDecodeMessages(new Decoder(framed));
  return new KafkajsBatch('t', String(fetchOffset), { partition: 0, highWatermark: '0', abortedTransactions: [], messages }).messages.map(fromKafkajsMessage);
}

const summary = (records: readonly RawRecord[]) =>
  records.map((r) => ({
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key === null ? null : Buffer.from(r.key).toString(),
    value: r.value === null ? null : Buffer.from(r.value).toString(),
    headers: r.headers.map((h) => [h.key, h.value === null ? null : Buffer.from(h.value).toString()]),
  }));

test('records of kafkajs-encoded batches come out as kafkajs reads them: offsets, timestamps, keys, values, nulls', async (t) => {
  const records: TestRecord[] = [
    ...plainRecords(5),
    { offsetDelta: 5, timestampDelta: -7, key: null, value: Buffer.from('null key') },
    { offsetDelta: 6, timestampDelta: 2 ** 40, key: Buffer.from('tombstone'), value: null },
    { offsetDelta: 7, timestampDelta: 0, key: Buffer.alloc(0), value: Buffer.alloc(0) },
  ];
  const bytes = Buffer.concat([await batch({ baseOffset: 100, records }), await batch({ baseOffset: 108, baseTimestamp: 1_800_000_000_000, records: plainRecords(3, 8) })]);
  const ours = await decode(bytes, { fetchOffset: 100 });
  t.deepEqual(summary(ours.all), summary(await kafkajsReading(bytes, 100)));
  t.is(ours.all.length, 11);
  t.is(ours.all[6]!.timestamp, 1_700_000_000_000 + 2 ** 40, 'a multi-byte varlong delta');
  t.is(ours.all[5]!.timestamp, 1_700_000_000_000 - 7, 'a negative delta');
  t.true(Buffer.isBuffer(ours.all[0]!.key), 'keys and values are Buffers, as kafkajs gave them');
  t.true(Object.isFrozen(ours.all[0]!.headers), 'no headers: the shared empty list');
  t.is(ours.nextOffset, 111);
  t.is(ours.firstOffset, 100);
});

test('headers come out in wire order, an interleaving (a, b, a) and null values included', async (t) => {
  const headers = [['a', Buffer.from('1')], ['b', null], ['a', Buffer.from('2')], ['ü', Buffer.from('é')]] as const;
  const bytes = await batch({ baseOffset: 0, records: [{ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('k'), value: Buffer.from('v'), headers }] });
  const { all } = await decode(bytes);
  t.deepEqual(summary(all)[0]!.headers, [['a', '1'], ['b', null], ['a', '2'], ['ü', 'é']]);
});

test('a gzip batch (kafkajs-compressed) decodes to the same records as uncompressed', async (t) => {
  const records = plainRecords(50);
  const gz = await batch({ baseOffset: 10, records, compression: GZIP });
  const plain = await batch({ baseOffset: 10, records });
  t.not(gz.readInt16BE(21) & 7, 0, 'the batch is compressed');
  const fromGz = await decode(gz, { fetchOffset: 10 });
  t.deepEqual(summary(fromGz.all), summary((await decode(plain, { fetchOffset: 10 })).all));
  t.deepEqual(summary(fromGz.all), summary(await kafkajsReading(gz, 10)));
  t.is(fromGz.nextOffset, 60);
});

test('records before the fetch offset are left out, as kafkajs and Java do (a fetch answers from the start of the batch)', async (t) => {
  const bytes = Buffer.concat([await batch({ baseOffset: 0, records: plainRecords(10) }), await batch({ baseOffset: 10, records: plainRecords(10, 10), compression: GZIP })]);
  for (const fetchOffset of [0, 3, 9, 10, 15, 19]) {
    const ours = await decode(bytes, { fetchOffset });
    t.deepEqual(ours.all.map((r) => r.offset), Array.from({ length: 20 - fetchOffset }, (_, i) => fetchOffset + i), `from ${fetchOffset}`);
    t.deepEqual(summary(ours.all), summary(await kafkajsReading(bytes, fetchOffset)));
    t.is(ours.firstOffset, fetchOffset);
    t.is(ours.nextOffset, 20);
  }
});

test('records are made as they are read, a few at a time; skipBelow leaves out a prefix', async (t) => {
  const bytes = Buffer.concat([await batch({ baseOffset: 0, records: plainRecords(7) }), await batch({ baseOffset: 7, records: plainRecords(6, 7), compression: GZIP })]);
  const d = await decodeRecordSet(bytes, 0, bytes.length, context());
  t.is(d.records.remaining, 13);
  const got: RawRecord[] = [];
  for (const n of [1, 3, 5, 100]) {
    d.records.read(n, got);
  }
  t.deepEqual(got.map((r) => r.offset), Array.from({ length: 13 }, (_, i) => i));
  t.is(d.records.remaining, 0);
  const again = await decodeRecordSet(bytes, 0, bytes.length, context());
  again.records.skipBelow(9);
  t.is(again.records.remaining, 4);
  const rest: RawRecord[] = [];
  again.records.read(10, rest);
  t.deepEqual(rest.map((r) => r.offset), [9, 10, 11, 12]);
});

test('a batch cut short at the end of the response is left for the next fetch', async (t) => {
  const first = await batch({ baseOffset: 0, records: plainRecords(4) });
  const second = await batch({ baseOffset: 4, records: plainRecords(4, 4) });
  for (const cut of [1, 20, 61, second.length - 1]) {
    const bytes = Buffer.concat([first, second.subarray(0, cut)]);
    const d = await decode(bytes);
    t.deepEqual(d.all.map((r) => r.offset), [0, 1, 2, 3]);
    t.is(d.nextOffset, 4, `cut at ${cut}`);
  }
  const none = await decode(second.subarray(0, 30), { fetchOffset: 4 });
  t.false(none.decodedSome);
  t.is(none.nextOffset, 4, 'nothing complete: the next fetch starts at the fetch offset');
});

test('a compacted batch: offsets with gaps, and the next fetch starts past its last offset even with its tail removed', async (t) => {
  const records = [0, 2, 3, 7].map((d) => ({ offsetDelta: d, timestampDelta: d, key: Buffer.from(`k${d}`), value: Buffer.from('v') }));
  const bytes = await batch({ baseOffset: 50, records, lastOffsetDelta: 9 });
  const d = await decode(bytes, { fetchOffset: 51 });
  t.deepEqual(d.all.map((r) => r.offset), [52, 53, 57]);
  t.is(d.nextOffset, 60, 'past the batch: offsets 58 and 59 were compacted away');
});

test('a corrupt batch fails naming the partition and offset; with checkCrcs off it is read as it is', async (t) => {
  const bytes = Buffer.concat([await batch({ baseOffset: 0, records: plainRecords(3) }), await batch({ baseOffset: 3, records: plainRecords(3, 3) })]);
  const corrupt = Buffer.from(bytes);
  corrupt[corrupt.length - 2] ^= 0xff; // a byte of the second batch's last value
  const error = await t.throwsAsync(decode(corrupt, { topic: 'orders', partition: 2 }), { instanceOf: ClientError });
  t.regex(error!.message, /orders-2 at offset 3 is corrupt/);
  t.is((error as ClientError).reason, 'fatal');
  const unchecked = await decode(corrupt, { checkCrcs: false });
  t.is(unchecked.all.length, 6);
  t.notDeepEqual(unchecked.all[5]!.value, bytes.subarray(bytes.length - 7));
});

test('LogAppendTime: every record has the batch max timestamp (the broker\'s append time)', async (t) => {
  const bytes = await batch({ baseOffset: 0, records: plainRecords(3), baseTimestamp: 1000, maxTimestamp: 1_700_000_123_456, extraAttributes: 0x08 });
  t.deepEqual((await decode(bytes)).all.map((r) => r.timestamp), [1_700_000_123_456, 1_700_000_123_456, 1_700_000_123_456]);
});

test('control batches (transaction markers) are not returned, and the next fetch starts past them', async (t) => {
  const bytes = Buffer.concat([
    await batch({ baseOffset: 0, records: plainRecords(2), transactional: true, producerId: 7 }),
    await marker(2, 7, 'commit'),
  ]);
  const d = await decode(bytes);
  t.deepEqual(d.all.map((r) => r.offset), [0, 1]);
  t.is(d.nextOffset, 3);
  const onlyMarker = await decode(bytes, { fetchOffset: 2 });
  t.deepEqual(onlyMarker.all, []);
  t.true(onlyMarker.decodedSome);
  t.is(onlyMarker.firstOffset, 2, 'kafkajs sees the marker (its Batch moves past it)');
  t.is(onlyMarker.nextOffset, 3);
});

test('read_committed skips the batches of aborted transactions up to their ABORT marker; read_uncommitted returns them', async (t) => {
  // Producer 7 aborts a transaction at 0–1 (marker at 4), producer 8 commits one at 2–3 (marker at 5), producer 7
  // then writes a committed transaction at 6 (marker at 7), and a non-transactional record is at 8.
  const bytes = Buffer.concat([
    await batch({ baseOffset: 0, records: plainRecords(2), transactional: true, producerId: 7 }),
    await batch({ baseOffset: 2, records: plainRecords(2, 2), transactional: true, producerId: 8 }),
    await marker(4, 7, 'abort'),
    await marker(5, 8, 'commit'),
    await batch({ baseOffset: 6, records: plainRecords(1, 6), transactional: true, producerId: 7 }),
    await marker(7, 7, 'commit'),
    await batch({ baseOffset: 8, records: plainRecords(1, 8) }),
  ]);
  const committed = await decode(bytes, { readCommitted: true, abortedTransactions: [{ producerId: 7, firstOffset: 0 }] });
  t.deepEqual(committed.all.map((r) => r.offset), [2, 3, 6, 8]);
  t.is(committed.nextOffset, 9);
  const uncommitted = await decode(bytes, { readCommitted: false, abortedTransactions: [{ producerId: 7, firstOffset: 0 }] });
  t.deepEqual(uncommitted.all.map((r) => r.offset), [0, 1, 2, 3, 6, 8], 'read_uncommitted: only the markers are left out');
  const fromMiddle = await decode(bytes, { readCommitted: true, fetchOffset: 1, abortedTransactions: [{ producerId: 7, firstOffset: 0 }] });
  t.deepEqual(fromMiddle.all.map((r) => r.offset), [2, 3, 6, 8], 'a fetch from inside the aborted transaction');
});

test('a record set in an old message format (magic 1) is read by kafkajs\'s decoder, filtered the same', async (t) => {
  const set = Buffer.from(MessageSet({ messageVersion: 1, compression: 0, entries: [0, 1, 2].map((i) => ({ key: `k${i}`, value: `v${i}`, timestamp: 1000 + i })) }).buffer);
  // kafkajs's producer writes offset -1 (the broker assigns them): give them their log offsets.
  for (let p = 0, i = 0; p < set.length; i++) {
    set.writeInt32BE(0, p);
    set.writeInt32BE(20 + i, p + 4);
    p += 12 + set.readInt32BE(p + 8);
  }
  const d = await decode(set, { fetchOffset: 21 });
  t.deepEqual(summary(d.all), [
    { offset: 21, timestamp: 1001, key: 'k1', value: 'v1', headers: [] },
    { offset: 22, timestamp: 1002, key: 'k2', value: 'v2', headers: [] },
  ]);
  t.is(d.nextOffset, 23);
});

test('a whole Fetch response (v11) decodes as kafkajs\'s decoder reads it: watermarks, errors, each partition\'s records', async (t) => {
  const p0 = Buffer.concat([await batch({ baseOffset: 0, records: plainRecords(4) }), await batch({ baseOffset: 4, records: plainRecords(3, 4), compression: GZIP })]);
  const p1 = await batch({ baseOffset: 40, records: plainRecords(2, 40) });
  const response = new Encoder().writeInt32(0).writeInt16(0).writeInt32(0).writeInt32(1).writeString('orders').writeInt32(3);
  const partition = (id: number, error: number, high: number, records: Buffer | null) => {
    response.writeInt32(id).writeInt16(error).writeInt64(high).writeInt64(high).writeInt64(0).writeInt32(0).writeInt32(-1);
    if (records === null) response.writeInt32(-1);
    else response.writeInt32(records.length).writeBuffer(records);
  };
  partition(0, 0, 7, p0);
  partition(1, 0, 42, p1);
  partition(2, 0, 0, null);
  const raw = response.buffer;
  const ours = await decodeFetchResponse(raw, 11, { fetchOffsets: new Map([['orders', new Map([[0, 2], [1, 40], [2, 0]])]]), readCommitted: false, checkCrcs: true });
  const theirs = await kafkajsFetchV11.decode(raw);
  t.is(ours.responses[0]!.topicName, 'orders');
  for (const [i, fetchOffset] of [2, 40, 0].entries()) {
    const o = ours.responses[0]!.partitions[i]!;
    const k = theirs.responses[0].partitions[i];
    t.is(o.partition, k.partition);
    t.is(o.errorCode, k.errorCode);
    t.is(o.highWatermark, k.highWatermark);
    t.is(o.lastStableOffset, k.lastStableOffset);
    t.is(o.lastStartOffset, k.lastStartOffset);
    t.is(o.preferredReadReplica, k.preferredReadReplica);
    const records: RawRecord[] = [];
    o.decoded.records.read(100, records);
    t.deepEqual(summary(records), summary(new KafkajsBatch('orders', String(fetchOffset), k).messages.map(fromKafkajsMessage)));
  }
  t.is(ours.responses[0]!.partitions[0]!.decoded.nextOffset, 7);
  t.is(ours.responses[0]!.partitions[2]!.decoded.nextOffset, 0);
  t.false(ours.responses[0]!.partitions[2]!.decoded.decodedSome);
});

test('crc32c: the CRC-32C check value, and kafkajs\'s own at every alignment and length', (t) => {
  t.is(crc32c(Buffer.from('123456789')), 0xe3069283);
  const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff));
  for (let start = 0; start < 9; start++) {
    for (const length of [0, 1, 7, 8, 9, 15, 16, 17, 100, 291 - start]) {
      t.is(crc32c(bytes, start, start + length), kafkajsCrc32c(bytes.subarray(start, start + length)), `[${start}, +${length})`);
    }
  }
});
