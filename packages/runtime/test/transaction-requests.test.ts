// The requests exactly-once encodes itself (kafkajs has no TxnOffsetCommit v3 nor OffsetFetch with require_stable;
// the kafkats adapter sends AddPartitionsToTxn v3 raw, as its Broker would pick the brokers-only v4)
// against the bytes Kafka's own Java client writes for the same messages (fixtures/transaction-request-vectors.json,
// from conformance/src/main/java/dev/tsstreams/conformance/TransactionRequestVectors.java), and their answers as the
// Java client writes them decoded. The broker itself takes them in the exactly-once integration tests.
import { readFileSync } from 'node:fs';
import test from 'ava';
import { Decoder, Encoder, ErrorCode } from '@kafkats/client';
import { encodeTxnOffsetCommitRequest, decodeTxnOffsetCommitResponse } from '../src/client/record-batch/txn-offset-commit-request.ts';
import { encodeOffsetFetchRequest, decodeOffsetFetchResponse, UNSTABLE_OFFSET_COMMIT } from '../src/client/record-batch/offset-fetch-request.ts';
import { readAddPartitionsToTxnResponse, writeAddPartitionsToTxnRequest } from '../src/client/kafkats/kafkats-raw-requests.ts';

const vectors = JSON.parse(readFileSync(new URL('./fixtures/transaction-request-vectors.json', import.meta.url), 'utf8')) as Record<string, string>;
const java = (name: string): Buffer => Buffer.from(vectors[name]!, 'hex');
/** A response body as a client reads it after the correlation id: the response header v1's tagged fields first. */
const answer = (name: string): Buffer => Buffer.concat([Buffer.from([0]), java(name)]);

test("TxnOffsetCommit v3: the body is the Java client's, after the request header v2's empty tagged fields", (t) => {
  const body = encodeTxnOffsetCommitRequest(
    'page-views-6e1ae6a6-f071-4bd3-9f05-f8e12081781c-1',
    4242n,
    7,
    { groupId: 'page-views', generationId: 5, memberId: 'ts-streams-0b0c1d2e', groupInstanceId: null },
    [
      { topic: 'clicks', partition: 0, offset: 100, metadata: 'AQAAAZPCd4Ag' },
      { topic: 'page-views-clicks-by-page-repartition', partition: 1, offset: 0, metadata: '' },
      { topic: 'clicks', partition: 3, offset: 5_000_000_000 },
    ],
  );
  t.is(body[0], 0, 'the request header tagged fields');
  t.deepEqual(body.subarray(1).toString('hex'), java('txnOffsetCommitV3').toString('hex'));

  const staticMember = encodeTxnOffsetCommitRequest('t', -1n, -1, { groupId: 'g', generationId: -1, memberId: '', groupInstanceId: 'instance-1' }, []);
  t.deepEqual(staticMember.subarray(1).toString('hex'), java('txnOffsetCommitV3StaticMember').toString('hex'), 'a static member (group.instance.id) and no offsets');
});

test('TxnOffsetCommit v3: the answer decoded, errors per partition', (t) => {
  t.deepEqual(decodeTxnOffsetCommitResponse(answer('txnOffsetCommitResponseV3')), {
    throttleTimeMs: 12,
    partitions: [
      { topic: 'clicks', partition: 0, errorCode: 0 },
      { topic: 'clicks', partition: 3, errorCode: 22 },
      { topic: 'page-views-clicks-by-page-repartition', partition: 1, errorCode: 25 },
    ],
  });
});

test("OffsetFetch v7 with require_stable: the body is the Java client's; the answer decoded, UNSTABLE_OFFSET_COMMIT per partition", (t) => {
  const body = encodeOffsetFetchRequest('page-views', [
    { topic: 'clicks', partition: 0 },
    { topic: 'clicks', partition: 1 },
    { topic: 'page-views-clicks-by-page-repartition', partition: 2 },
    { topic: 'clicks', partition: 2 },
    { topic: 'clicks', partition: 3 },
  ], true);
  t.is(body[0], 0);
  t.deepEqual(body.subarray(1).toString('hex'), java('offsetFetchV7').toString('hex'));

  t.deepEqual(decodeOffsetFetchResponse(answer('offsetFetchResponseV7')), {
    errorCode: 0,
    partitions: [
      { topic: 'clicks', partition: 0, offset: 100, metadata: 'AQAAAZPCd4Ag', errorCode: 0 },
      { topic: 'clicks', partition: 1, offset: -1, metadata: '', errorCode: 0 },
      { topic: 'clicks', partition: 2, offset: -1, metadata: null, errorCode: UNSTABLE_OFFSET_COMMIT },
      { topic: 'clicks', partition: 3, offset: 5_000_000_000, metadata: null, errorCode: 0 },
    ],
  });
});

test("AddPartitionsToTxn v3 (the kafkats adapter's, raw): the body is the Java client's; the answer decoded, errors per partition", (t) => {
  const encoder = new Encoder();
  writeAddPartitionsToTxnRequest(encoder, 'page-views-6e1ae6a6-f071-4bd3-9f05-f8e12081781c-1', 4242n, 7, [
    { topic: 'clicks', partitions: [0, 3] },
    { topic: 'page-views-clicks-by-page-repartition', partitions: [1] },
  ]);
  t.deepEqual(encoder.toBuffer().toString('hex'), java('addPartitionsToTxnV3').toString('hex'));

  // The answer after the response header v1 (the connection's correlation id and tagged fields, read by @kafkats/client).
  t.deepEqual(readAddPartitionsToTxnResponse(new Decoder(java('addPartitionsToTxnResponseV3'))), [
    { topic: 'clicks', partition: 0, errorCode: ErrorCode.OperationNotAttempted },
    { topic: 'clicks', partition: 3, errorCode: ErrorCode.OperationNotAttempted },
    { topic: 'page-views-clicks-by-page-repartition', partition: 1, errorCode: ErrorCode.ConcurrentTransactions },
  ]);
});
