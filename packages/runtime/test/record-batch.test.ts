// The produce path's bytes without a broker: CRC-32C against published vectors and kafkajs's own, varints against
// kafkajs's Encoder, and a record batch read back by kafkajs's record batch decoder (what its consumer runs) and by a
// strict reading of the format here. The broker itself checks them in kafkajs-producer.test.ts.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import test from 'ava';
import type { Headers } from '@ts-streams/dsl';
import { crc32c } from '../src/client/record-batch/crc32c.ts';
import { sizeOfUnsignedVarint, writeUnsignedVarint, zigZag } from '../src/client/record-batch/varint.ts';
import { BATCH_HEADER_BYTES, RecordBatchBuilder } from '../src/client/record-batch/record-batch-builder.ts';
import { encodeProduceRequest } from '../src/client/record-batch/produce-request.ts';
import { decodeProduceResponse } from '../src/client/record-batch/produce-response.ts';
import { nextSequence } from '../src/client/record-batch/produce-partition.ts';

const require = createRequire(import.meta.url);
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;
const KafkajsEncoder = require('kafkajs/src/protocol/encoder.js') as new () => { writeVarInt(v: number): unknown; writeVarLong(v: number): unknown; buffer: Buffer };
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => unknown;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (d: unknown) => Promise<{
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  lastOffsetDelta: number;
  inTransaction: boolean;
  records: { key: Buffer | null; value: Buffer | null; timestamp: string; offset: string; headers: Record<string, Buffer | Buffer[]> }[];
}>;

test('CRC-32C: the published check values (RFC 3720 B.4) and kafkajs\'s own over random bytes of every length to 300', (t) => {
  t.is(crc32c(Buffer.from('123456789')), 0xe3069283);
  t.is(crc32c(Buffer.alloc(32, 0)), 0x8a9136aa);
  t.is(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  t.is(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i))), 0x46dd794e);
  t.is(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i))), 0x113fdb5c);
  t.is(crc32c(Buffer.alloc(0)), 0);
  for (let n = 0; n <= 300; n++) {
    const bytes = randomBytes(n);
    t.is(crc32c(bytes), kafkajsCrc32c(bytes), `${n} bytes`);
  }
  // A range within a buffer, at unaligned starts.
  const big = randomBytes(1000);
  for (const [from, to] of [[1, 999], [7, 300], [21, 1000], [500, 501]] as const) t.is(crc32c(big, from, to), kafkajsCrc32c(big.subarray(from, to)));
});

test('varints: zig-zag and the bytes written are kafkajs\'s (varint for int32 values, varlong beyond)', (t) => {
  const ints = [0, 1, -1, 2, -2, 63, -64, 64, -65, 127, 128, 8191, 8192, -8193, 2 ** 20, -(2 ** 20), 2 ** 30 - 1, -(2 ** 30), 2 ** 31 - 1, -(2 ** 31)];
  for (const v of ints) {
    const ours = Buffer.alloc(10);
    const end = writeUnsignedVarint(ours, 0, zigZag(v));
    const theirs = new KafkajsEncoder();
    theirs.writeVarInt(v);
    t.deepEqual(ours.subarray(0, end), theirs.buffer, `varint ${v}`);
    t.is(sizeOfUnsignedVarint(zigZag(v)), end, `size of ${v}`);
  }
  const longs = [2 ** 31, -(2 ** 31) - 1, 2 ** 35 + 5, -(2 ** 40) - 3, 1_764_961_234_567, -1_764_961_234_567, 2 ** 52 - 1, -(2 ** 52)];
  for (const v of longs) {
    const ours = Buffer.alloc(10);
    const end = writeUnsignedVarint(ours, 0, zigZag(v));
    const theirs = new KafkajsEncoder();
    theirs.writeVarLong(v);
    t.deepEqual(ours.subarray(0, end), theirs.buffer, `varlong ${v}`);
    t.is(sizeOfUnsignedVarint(zigZag(v)), end, `size of ${v}`);
  }
});

/** A strict reading of a record batch: every length and count must add up to the bytes. */
function readBatch(b: Buffer) {
  let pos = BATCH_HEADER_BYTES;
  const varint = () => {
    let shift = 1;
    let v = 0;
    for (;;) {
      const byte = b[pos++]!;
      v += (byte & 0x7f) * shift;
      if (byte < 0x80) break;
      shift *= 128;
    }
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  };
  const bytes = () => {
    const n = varint();
    if (n < 0) return null;
    const out = b.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const records = [];
  const count = b.readInt32BE(57);
  for (let i = 0; i < count; i++) {
    const length = varint();
    const start = pos;
    const attributes = b[pos++];
    const timestampDelta = varint();
    const offsetDelta = varint();
    const key = bytes();
    const value = bytes();
    const headerCount = varint();
    const headers = [];
    for (let h = 0; h < headerCount; h++) headers.push({ key: bytes()!.toString('utf8'), value: bytes() });
    if (pos - start !== length) throw new Error(`record ${i}: length ${length}, read ${pos - start}`);
    records.push({ attributes, timestampDelta, offsetDelta, key, value, headers });
  }
  if (pos !== b.length) throw new Error(`batch of ${b.length} bytes, records end at ${pos}`);
  return {
    batchLength: b.readInt32BE(8),
    partitionLeaderEpoch: b.readInt32BE(12),
    magic: b[16],
    crc: b.readUInt32BE(17),
    attributes: b.readInt16BE(21),
    lastOffsetDelta: b.readInt32BE(23),
    records,
  };
}

test('a record batch: header, CRC, and records (null keys and values, headers, negative and large timestamp deltas) as kafkajs reads them', async (t) => {
  const builder = new RecordBatchBuilder(Buffer.alloc(64 * 1024));
  const headers: Headers = [
    { key: 'h', value: Buffer.from('1') },
    { key: 'h', value: Buffer.from('2') },
    { key: 'é', value: new Uint8Array(0) },
  ];
  const base = 1_764_961_234_567;
  const big = randomBytes(3000);
  const input = [
    { key: Buffer.from('k0'), value: Buffer.from('v0'), timestamp: base, headers: [] as Headers },
    { key: null, value: Buffer.from('no key'), timestamp: base - 5_000, headers: [] as Headers },
    { key: Buffer.from('tombstone'), value: null, timestamp: base + 3, headers },
    { key: big.subarray(0, 200), value: big, timestamp: base + 2 ** 33, headers: [] as Headers },
    { key: Buffer.alloc(0), value: Buffer.alloc(0), timestamp: 0, headers: [] as Headers },
  ];
  for (const r of input) t.true(builder.append(r.key, r.value, r.timestamp, r.headers));
  builder.finish(123_456_789_012n, 7, 42);
  const bytes = Buffer.from(builder.bytes);

  const strict = readBatch(bytes);
  t.like(strict, { batchLength: bytes.length - 12, partitionLeaderEpoch: -1, magic: 2, attributes: 0, lastOffsetDelta: input.length - 1 });
  t.is(strict.crc, kafkajsCrc32c(bytes.subarray(21)));
  t.deepEqual(strict.records.map((r) => [r.attributes, r.offsetDelta, r.timestampDelta]), input.map((r, i) => [0, i, r.timestamp - base]));
  t.deepEqual(strict.records[2]!.headers.map((h) => [h.key, h.value === null ? null : h.value.toString()]), [['h', '1'], ['h', '2'], ['é', '']]);

  const batch = await decodeRecordBatch(new KafkajsDecoder(bytes));
  t.like(batch, { firstOffset: '0', firstTimestamp: String(base), maxTimestamp: String(base + 2 ** 33), producerId: '123456789012', producerEpoch: 7, firstSequence: 42, lastOffsetDelta: 4, inTransaction: false });
  t.is(batch.records.length, input.length);
  batch.records.forEach((r, i) => {
    t.deepEqual(r.key, input[i]!.key === null ? null : Buffer.from(input[i]!.key!), `key ${i}`);
    t.deepEqual(r.value, input[i]!.value === null ? null : Buffer.from(input[i]!.value!), `value ${i}`);
    t.is(r.timestamp, String(input[i]!.timestamp), `timestamp ${i}`);
    t.is(r.offset, String(i));
  });
  t.deepEqual(batch.records[2]!.headers, { h: [Buffer.from('1'), Buffer.from('2')], é: Buffer.alloc(0) });

  // A header with a null value is written as Kafka's null (-1).
  const nullHeader = new RecordBatchBuilder(Buffer.alloc(200));
  t.true(nullHeader.append(null, null, 5, [{ key: 'n', value: null }]));
  nullHeader.finish(-1n, -1, -1);
  t.deepEqual(readBatch(Buffer.from(nullHeader.bytes)).records[0]!.headers, [{ key: 'n', value: null }]);
});

test('a record batch takes records while they fit its buffer; maxRecordSize sizes a buffer for one that does not', (t) => {
  const builder = new RecordBatchBuilder(Buffer.alloc(BATCH_HEADER_BYTES + 100));
  const value = Buffer.alloc(40, 1);
  t.true(builder.append(null, value, 1, []));
  t.true(builder.append(null, value, 2, []));
  const size = builder.size;
  t.false(builder.append(null, value, 1_000, []), 'a third does not fit');
  t.is(builder.size, size, 'nothing written');
  t.is(builder.count, 2);
  t.is(builder.maxTimestamp, 2, 'the refused record does not count');

  const huge = Buffer.alloc(100_000);
  const headers: Headers = [{ key: 'x'.repeat(300), value: Buffer.alloc(1000) }];
  const own = new RecordBatchBuilder(Buffer.alloc(BATCH_HEADER_BYTES + RecordBatchBuilder.maxRecordSize(huge, huge, headers)));
  t.true(own.append(huge, huge, Number.MAX_SAFE_INTEGER, headers));
});

test('Produce request and response bodies, and sequence numbers wrapping as Kafka\'s', (t) => {
  const batch = Buffer.from([1, 2, 3]);
  const body = encodeProduceRequest(null, -1, 30_000, [{ topic: 'tö', partitions: [{ partition: 3, batch }, { partition: 0, batch }] }]);
  t.deepEqual(
    body,
    Buffer.concat([
      Buffer.from([0xff, 0xff, 0xff, 0xff]), // null transactional id, acks -1
      Buffer.from([0, 0, 0x75, 0x30, 0, 0, 0, 1]), // timeout 30000, one topic
      Buffer.from([0, 3]), Buffer.from('tö'), Buffer.from([0, 0, 0, 2]),
      Buffer.from([0, 0, 0, 3, 0, 0, 0, 3]), batch,
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 3]), batch,
    ]),
  );
  const answer = Buffer.concat([
    Buffer.from([0, 0, 0, 1, 0, 2]), Buffer.from('ab'), Buffer.from([0, 0, 0, 1]),
    Buffer.from([0, 0, 0, 5, 0, 6]), // partition 5, NOT_LEADER_OR_FOLLOWER
    Buffer.from([0, 0, 0, 1, 0, 0, 0, 2]), // base offset 2^32 + 2
    Buffer.alloc(8, 0xff), Buffer.alloc(8, 0), // log append time -1, log start 0 (v5+)
    Buffer.from([0, 0, 0, 9]), // throttle
  ]);
  t.deepEqual(decodeProduceResponse(answer, 7), { topics: [{ topic: 'ab', partitions: [{ partition: 5, errorCode: 6, baseOffset: 2 ** 32 + 2 }] }], throttleTimeMs: 9 });

  t.is(nextSequence(0, 10), 10);
  t.is(nextSequence(2 ** 31 - 11, 10), 2 ** 31 - 1);
  t.is(nextSequence(2 ** 31 - 1, 1), 0);
  t.is(nextSequence(2 ** 31 - 5, 10), 5); // 2^31 - 5 + 4 = 2^31 - 1, then 0 … 5
});
