// The kafkajs adapter's parts that need no broker: the consumer protocol bytes our assignor travels in (they must be
// what kafkajs and Kafka read), a consumed message as the seam's record, and the error when no broker answers.
import test from 'ava';
import { AssignerProtocol } from 'kafkajs';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../src/client/kafkajs/consumer-protocol.ts';
import { KafkajsClient } from '../src/client/kafkajs/kafkajs-client.ts';
import { decimal, fromKafkajsMessage } from '../src/client/kafkajs/kafkajs-records.ts';
import { ClientError } from '../src/errors/client-error.ts';

test('consumer protocol: our subscription and assignment bytes are the ones kafkajs encodes and decodes', (t) => {
  const userData = Buffer.from([1, 2, 3, 0, 255]);
  const subscription = encodeSubscription({ version: 3, topics: ['a', 'bé'], userData });
  t.deepEqual(subscription, AssignerProtocol.MemberMetadata.encode({ version: 3, topics: ['a', 'bé'], userData }));
  const decoded = decodeSubscription(AssignerProtocol.MemberMetadata.encode({ version: 1, topics: ['x'], userData }));
  t.deepEqual({ ...decoded, userData: Buffer.from(decoded.userData) }, { version: 1, topics: ['x'], userData });

  const partitions = [
    { topic: 'a', partition: 0 },
    { topic: 'a', partition: 3 },
    { topic: 'b', partition: 1 },
  ];
  const assignment = encodeAssignment({ version: 2, partitions, userData });
  t.deepEqual(AssignerProtocol.MemberAssignment.decode(assignment), { version: 2, assignment: { a: [0, 3], b: [1] }, userData });
  const back = decodeAssignment(AssignerProtocol.MemberAssignment.encode({ version: 2, assignment: { a: [0, 3], b: [1] }, userData }));
  t.deepEqual({ ...back, userData: Buffer.from(back.userData) }, { version: 2, partitions, userData });
  // An empty assignment (SyncGroup gives a member nothing): no partitions, no user data.
  t.deepEqual(decodeAssignment(new Uint8Array(0)), { version: 0, partitions: [], userData: new Uint8Array(0) });
});

test('a consumed kafkajs message becomes the seam\'s record: its decimal offset and timestamp read as Number() reads them, headers in order', (t) => {
  const strings = ['0', '7', '1000000', '1764961234567', '123456789012345', '999999999999999', '1234567890123456', '9007199254740993',
    '9223372036854775807', '-1', '-9223372036854775808', '', ' 1', '1e3', '00012', '12a', '0x10'];
  for (const s of strings) t.is(decimal(s), Number(s), JSON.stringify(s));
  // kafkajs's own strings: BigInt arithmetic turned to decimal, as its Long does for every record.
  for (let i = 0n; i < 2000n; i++) {
    const s = String(1_764_961_234_567n + i * 7_919n);
    t.is(decimal(s), Number(s));
  }
  const key = Buffer.from('k');
  const value = Buffer.from('v');
  const plain = fromKafkajsMessage({ key, value, timestamp: '1764961234567', offset: '42', attributes: 0, headers: {}, size: 0 } as never);
  t.deepEqual(plain, { key, value, timestamp: 1_764_961_234_567, headers: [], offset: 42 });
  t.true(Object.isFrozen(plain.headers), 'no headers: the shared empty list');
  const withHeaders = fromKafkajsMessage({ key: null, value: null, timestamp: '-1', offset: '9007199254740993', attributes: 0, headers: { a: [Buffer.from('1'), Buffer.from('2')], b: 'x' }, size: 0 } as never);
  t.is(withHeaders.timestamp, -1);
  t.is(withHeaders.offset, Number('9007199254740993'));
  t.deepEqual(withHeaders.headers.map((h) => [h.key, Buffer.from(h.value!).toString()]), [['a', '1'], ['a', '2'], ['b', 'x']]);
});

test('no broker at the address: each role fails with one ClientError "unreachable" naming the address, within the connect timeout', async (t) => {
  const client = new KafkajsClient({ bootstrapServers: '127.0.0.1:1', connectTimeoutMs: 1_500 });
  t.teardown(() => client.close());
  const attempts: [string, () => Promise<unknown>][] = [
    ['admin', () => client.admin().connect()],
    ['producer', () => client.producer({}).connect()],
    ['assigned consumer', () => client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 10 }).connect()],
    [
      'group consumer',
      () =>
        client
          .groupConsumer({
            groupId: 'g',
            assignor: { name: 'x', version: 0, subscriptionUserData: () => new Uint8Array(0), assign: () => new Map() },
            offsetReset: () => 'earliest',
            isolation: 'read_uncommitted',
            maxBufferedRecords: 10,
          })
          .subscribe(['t'], { onRevoked: async () => {}, onLost: async () => {}, onAssigned: async () => {} }),
    ],
  ];
  await Promise.all(
    attempts.map(async ([role, attempt]) => {
      const started = Date.now();
      const error = await t.throwsAsync(attempt(), { instanceOf: ClientError }, role);
      const elapsed = Date.now() - started;
      t.is(error.reason, 'unreachable', `${role}: ${error.message}`);
      t.true(error.retriable);
      t.regex(error.message, /no Kafka broker answered at 127\.0\.0\.1:1 within 1\.5 s/, role);
      t.regex(error.message, /bootstrapServers/, role);
      t.true(elapsed >= 1_000 && elapsed < 5_000, `${role} gave up after ${elapsed} ms`);
    }),
  );
});

test('a transactional producer (exactly-once) with no broker to answer fails as unreachable, naming the address', async (t) => {
  const client = new KafkajsClient({ bootstrapServers: '127.0.0.1:1', connectTimeoutMs: 500 });
  t.teardown(() => client.close());
  const producer = client.producer({ transactionalId: 'app-0_1' });
  t.truthy(producer.transactions, 'a transactionalId gives the producer transactions');
  const error = await t.throwsAsync(producer.connect(), { instanceOf: ClientError });
  t.is(error.reason, 'unreachable');
  t.regex(error.message, /no Kafka broker answered at 127\.0\.0\.1:1/);
});
