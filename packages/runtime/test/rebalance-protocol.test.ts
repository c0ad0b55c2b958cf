// The userData of ts-streams' subscriptions and assignments: versioned binary that round-trips, and a decode
// that rejects anything else with an AssignmentProtocolError saying what is wrong and where.
import test from 'ava';
import { encodeSubscriptionInfo, decodeSubscriptionInfo, type SubscriptionInfo } from '../src/assignment/subscription-info.ts';
import { encodeAssignmentInfo, decodeAssignmentInfo, type AssignmentInfo } from '../src/assignment/assignment-info.ts';
import { AssignorError } from '../src/assignment/assignor-error.ts';
import { LATEST_PROTOCOL_VERSION, peekHeader } from '../src/assignment/protocol-version.ts';
import { TaskId } from '../src/assignment/task-id.ts';
import { AssignmentProtocolError } from '../src/errors/assignment-protocol-error.ts';

const ids = (s: string) => s.split(' ').map(TaskId.parse);

const subscription: SubscriptionInfo = {
  version: 1,
  latestSupportedVersion: 1,
  processId: '6f1c2a9e-3b4d-4c5e-8f70-0123456789ab',
  userEndpoint: 'höst.example:8080',
  ownedTasks: ids('0_0 0_3 2_11'),
  taskOffsetSums: [
    { task: TaskId.parse('1_4'), offsetSum: 0 },
    { task: TaskId.parse('0_7'), offsetSum: 2 ** 40 + 17 },
  ],
};

const assignment: AssignmentInfo = {
  version: 1,
  latestSupportedVersion: 1,
  errorCode: AssignorError.NONE,
  errorMessage: '',
  activeTasks: ids('0_0 1_2'),
  hosts: [
    { processId: 'p1', userEndpoint: 'a:1', tasks: ids('0_0 1_2') },
    { processId: 'p2', userEndpoint: '', tasks: ids('0_1 1_0 1_1') },
    { processId: 'p3', userEndpoint: '', tasks: [] },
  ],
};

/** Deterministic garbage. */
function noise(length: number, seed: number): Buffer {
  const b = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return b;
}

test('a subscription round-trips, in the latest version by default', (t) => {
  const bytes = encodeSubscriptionInfo(subscription);
  t.deepEqual(decodeSubscriptionInfo(bytes), subscription);
  const { version: _v, latestSupportedVersion: _l, ...rest } = subscription;
  t.deepEqual(decodeSubscriptionInfo(encodeSubscriptionInfo(rest)), { ...subscription, version: LATEST_PROTOCOL_VERSION, latestSupportedVersion: LATEST_PROTOCOL_VERSION });
  const empty = { ...subscription, userEndpoint: '', ownedTasks: [], taskOffsetSums: [] };
  t.deepEqual(decodeSubscriptionInfo(encodeSubscriptionInfo(empty)), empty);
});

test('the subscription layout: magic, version, latest supported version, then the fields', (t) => {
  const bytes = encodeSubscriptionInfo({ ...subscription, processId: 'p', userEndpoint: '', ownedTasks: ids('1_2'), taskOffsetSums: [] });
  t.is(bytes.toString('hex'), [
    '54535353', '00000001', '00000001', // 'TSSS', version 1, latest 1
    '0001', '70', '0000', // process id 'p', empty endpoint
    '00000001', '00000001', '00000002', // one owned task: 1_2
    '00000000', // no offset sums
  ].join(''));
});

test('an assignment round-trips, error included', (t) => {
  t.deepEqual(decodeAssignmentInfo(encodeAssignmentInfo(assignment)), assignment);
  const error: AssignmentInfo = { ...assignment, errorCode: AssignorError.INCOMPLETE_SOURCE_TOPIC_METADATA, errorMessage: "Source topic 'x' does not exist", activeTasks: [], hosts: [] };
  t.deepEqual(decodeAssignmentInfo(encodeAssignmentInfo(error)), error);
});

test('the header of any version can be read, and tells the two messages apart', (t) => {
  t.deepEqual(peekHeader(encodeSubscriptionInfo(subscription), 'subscription'), { version: 1, latestSupportedVersion: 1 });
  t.is(peekHeader(encodeSubscriptionInfo(subscription), 'assignment'), undefined);
  t.deepEqual(peekHeader(encodeAssignmentInfo(assignment), 'assignment'), { version: 1, latestSupportedVersion: 1 });
  const future = encodeSubscriptionInfo(subscription);
  future.writeInt32BE(7, 4);
  future.writeInt32BE(9, 8);
  t.deepEqual(peekHeader(future, 'subscription'), { version: 7, latestSupportedVersion: 9 });
  t.is(peekHeader(Buffer.from('nope'), 'subscription'), undefined);
});

test('a version this instance cannot read is an error that says so', (t) => {
  const s = encodeSubscriptionInfo(subscription);
  s.writeInt32BE(2, 4);
  s.writeInt32BE(2, 8);
  t.throws(() => decodeSubscriptionInfo(s), { instanceOf: AssignmentProtocolError, message: /protocol version 2; this instance reads up to 1/ });
  const a = encodeAssignmentInfo(assignment);
  a.writeInt32BE(3, 4);
  a.writeInt32BE(3, 8);
  t.throws(() => decodeAssignmentInfo(a), { instanceOf: AssignmentProtocolError, message: /protocol version 3; this instance reads up to 1/ });
});

test('garbage is rejected with the reason and where', (t) => {
  const sub = (b: Buffer, reason: RegExp) => {
    const e = t.throws(() => decodeSubscriptionInfo(b), { instanceOf: AssignmentProtocolError }, b.toString('hex'));
    t.regex(e!.message, /^A group member's subscription userData \(\d+ bytes\) is not a ts-streams subscription: /);
    t.regex(e!.message, reason);
    t.is((e as AssignmentProtocolError).protocolMessage, 'subscription');
    t.false((e as AssignmentProtocolError).retriable);
  };
  sub(Buffer.alloc(0), /ends inside the magic bytes \(4 bytes needed, 0 left\) \(at byte 0 of 0\)/);
  sub(encodeAssignmentInfo(assignment), /does not start with ts-streams' subscription magic 'TSSS' \(is another client in the group\?\)/);
  // kafkajs' own MemberMetadata for a plain consumer, as another client would send.
  sub(Buffer.from('0001000000010005746f70696300000000', 'hex'), /magic/);
  const good = encodeSubscriptionInfo(subscription);
  sub(Buffer.concat([good, Buffer.from([0])]), /1 unexpected bytes follow the message/);
  const badVersion = Buffer.from(good);
  badVersion.writeInt32BE(0, 4);
  sub(badVersion, /version 0 with latest supported version 1 is not a valid pair/);
  // Where the owned-task count is: after the header, the process id and the endpoint.
  const ownedAt = 12 + 2 + Buffer.byteLength(subscription.processId) + 2 + Buffer.byteLength(subscription.userEndpoint);
  const hugeCount = Buffer.from(good);
  hugeCount.writeInt32BE(0x7fffffff, ownedAt);
  sub(hugeCount, /the owned tasks count 2147483647 needs more than the \d+ bytes left/);
  const negativeCount = Buffer.from(good);
  negativeCount.writeInt32BE(-1, ownedAt);
  sub(negativeCount, /the owned tasks count is negative \(-1\)/);
  const negativeTask = Buffer.from(good);
  negativeTask.writeInt32BE(-5, ownedAt + 4 + 4); // the partition of the first owned task
  sub(negativeTask, /the owned tasks: task id 0_-5 is negative \(at byte \d+ of \d+\)/);
  const negativeSum = Buffer.from(good);
  negativeSum.writeBigInt64BE(-3n, good.length - 8); // Kafka's UNKNOWN_OFFSET_SUM is not ours
  sub(negativeSum, /the offset sum of task 0_7 is negative \(-3\)/);
  const badUtf8 = encodeSubscriptionInfo({ ...subscription, processId: 'ab' });
  badUtf8[14] = 0xff;
  sub(badUtf8, /the process id is not valid UTF-8/);
  sub(encodeSubscriptionInfo({ ...subscription, ownedTasks: [] }).subarray(0, 20), /ends inside/);
  // Every truncation of a valid message fails, none reads past the end.
  for (let n = 0; n < good.length; n++) sub(good.subarray(0, n), /ends inside|count .* needs more/);
  // Random bytes, with and without the magic in front.
  for (let i = 0; i < 200; i++) {
    const junk = noise(1 + (i % 64), i + 1);
    sub(junk, /./);
    t.throws(() => decodeSubscriptionInfo(Buffer.concat([Buffer.from('TSSS'), junk])), { instanceOf: AssignmentProtocolError });
  }
});

test('a subscription listing a task twice, or with two offset sums for one, is rejected', (t) => {
  const twice = encodeSubscriptionInfo({ ...subscription, ownedTasks: [], taskOffsetSums: [] });
  // Rewrite the owned-task list by hand: two copies of 0_1.
  const dup = Buffer.concat([twice.subarray(0, twice.length - 8), Buffer.from('00000002' + '0000000000000001'.repeat(2) + '00000000', 'hex')]);
  t.throws(() => decodeSubscriptionInfo(dup), { instanceOf: AssignmentProtocolError, message: /the owned tasks lists task 0_1 twice/ });
  const sums = Buffer.concat([twice.subarray(0, twice.length - 4), Buffer.from('00000002' + ('0000000000000001' + '0000000000000005').repeat(2), 'hex')]);
  t.throws(() => decodeSubscriptionInfo(sums), { instanceOf: AssignmentProtocolError, message: /task 0_1 has two offset sums/ });
});

test('an assignment with an unknown error code, a task given twice, or tasks beside an error is rejected', (t) => {
  const unknownCode = encodeAssignmentInfo(assignment);
  unknownCode.writeInt32BE(99, 12);
  t.throws(() => decodeAssignmentInfo(unknownCode), { instanceOf: AssignmentProtocolError, message: /error code 99 is unknown/ });
  const twice = encodeAssignmentInfo({ ...assignment, hosts: [{ processId: 'p1', userEndpoint: '', tasks: ids('0_1') }, { processId: 'p2', userEndpoint: '', tasks: ids('0_1') }] });
  t.throws(() => decodeAssignmentInfo(twice), { instanceOf: AssignmentProtocolError, message: /task 0_1 is given to both process p1 and process p2/ });
  const both = encodeAssignmentInfo({ ...assignment, errorCode: AssignorError.ASSIGNMENT_ERROR });
  t.throws(() => decodeAssignmentInfo(both), { instanceOf: AssignmentProtocolError, message: /error code 3 comes with 2 tasks/ });
  t.throws(() => decodeAssignmentInfo(encodeSubscriptionInfo(subscription)), { instanceOf: AssignmentProtocolError, message: /^The group leader's assignment userData .* magic 'TSSA'/ });
  const good = encodeAssignmentInfo(assignment);
  for (let n = 0; n < good.length; n++) t.throws(() => decodeAssignmentInfo(good.subarray(0, n)), { instanceOf: AssignmentProtocolError });
  for (let i = 0; i < 200; i++) t.throws(() => decodeAssignmentInfo(Buffer.concat([Buffer.from('TSSA'), noise(1 + (i % 64), i + 7)])), { instanceOf: AssignmentProtocolError });
});

test('what cannot be encoded is refused when writing', (t) => {
  t.throws(() => encodeSubscriptionInfo({ ...subscription, taskOffsetSums: [{ task: TaskId.parse('0_0'), offsetSum: -3 }] }), { instanceOf: RangeError, message: /offset sum of task 0_0/ });
  t.throws(() => encodeSubscriptionInfo({ ...subscription, version: 2 }), { instanceOf: RangeError, message: /version 2 is not a protocol version/ });
  t.throws(() => encodeSubscriptionInfo({ ...subscription, processId: 'x'.repeat(40_000) }), { instanceOf: RangeError, message: /longer than the protocol's 32767/ });
});
