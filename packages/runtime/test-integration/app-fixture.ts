// What a KafkaStreams test on the real broker needs around the application: topics, a group and a state directory of
// its own (unique names, removed after the test), input produced with plain kafkajs, and the two outcomes a test
// waits for instead of sleeping — the group has committed every input record, and an output topic read to its end.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { Admin, Kafka, Message } from 'kafkajs';
import type { TestBroker } from './kafka-test.ts';

/** A record read back from a topic, keys and values as strings (null stays null). */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp: number;
  readonly headers: Readonly<Record<string, string>>;
}

export interface AppFixture {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** The application id (and group id), unique to the test. */
  readonly applicationId: string;
  /** A fresh state directory, removed after the test. */
  readonly stateDir: string;
  /** The broker name of a topic given to appFixture (`<name>-<test id>`). */
  topic(name: string): string;
  /** Sends the messages to a topic in one request per 500, awaiting each, each once (an idempotent producer). */
  produce(topic: string, messages: readonly Message[]): Promise<void>;
  /** The group's committed offset of each partition of a topic (-1: none). */
  committed(topic: string): Promise<number[]>;
  /** Waits until the group has committed every record now in the topics (committed = end offset everywhere). */
  untilCommitted(topics: readonly string[], timeoutMs?: number): Promise<void>;
  /** Every record of a topic up to its end offsets as of the call, in partition then offset order. */
  readAll(topic: string, timeoutMs?: number): Promise<ReadRecord[]>;
}

/**
 * Creates the topics (name → partition count) under names unique to the test, and removes them, the application's
 * internal topics, its group and its state directory when the test ends.
 */
export async function appFixture(t: ExecutionContext, broker: TestBroker, topics: Readonly<Record<string, number>>): Promise<AppFixture> {
  const id = randomUUID().slice(0, 8);
  const kafka = broker.kafka(`app-fixture-${id}`);
  const admin = kafka.admin();
  await admin.connect();
  const applicationId = `app-${id}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'ts-streams-kafka-'));
  const readers: string[] = [];
  t.teardown(async () => {
    const mine = (await admin.listTopics()).filter((x) => x.endsWith(`-${id}`) || x.startsWith(`${applicationId}-`));
    await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.deleteGroups([applicationId, ...readers]).catch(() => undefined);
    await admin.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  });
  const name = (topic: string) => `${topic}-${id}`;
  await createTopics(admin, Object.entries(topics).map(([topic, partitions]) => [name(topic), partitions]));

  const endOffsets = async (topic: string) => (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((p) => Number(p.high));
  const committed = async (topic: string) => {
    const [offsets] = await admin.fetchOffsets({ groupId: applicationId, topics: [topic] });
    return offsets!.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
  };

  return {
    kafka, admin, applicationId, stateDir,
    topic: name,
    async produce(topic, messages) {
      // Idempotent: a plain kafkajs producer retries a request that timed out under load and may write it twice.
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      try {
        for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, messages: messages.slice(i, i + 500) });
      } finally {
        await producer.disconnect();
      }
    },
    committed,
    async untilCommitted(topics, timeoutMs = 60_000) {
      let last = '';
      await until(`the group ${applicationId} to commit every record of ${topics.join(', ')}`, async () => {
        const states = await Promise.all(topics.map(async (topic) => ({ topic, end: await endOffsets(topic), committed: await committed(topic) })));
        last = JSON.stringify(states);
        return states.every((s) => s.end.every((end, p) => end === 0 || s.committed[p] === end));
      }, timeoutMs, () => last);
    },
    async readAll(topic, timeoutMs = 60_000) {
      const ends = await endOffsets(topic);
      const records: ReadRecord[] = [];
      const next = ends.map(() => 0);
      const done = () => ends.every((end, p) => next[p]! >= end);
      if (done()) return records;
      const groupId = `reader-${randomUUID()}`;
      readers.push(groupId);
      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const offset = Number(message.offset);
            if (offset >= ends[partition]!) return;
            next[partition] = offset + 1;
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
            records.push({ partition, offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, timestamp: Number(message.timestamp), headers });
          },
        });
        await until(`reading ${topic} to its end offsets ${ends.join(',')}`, () => done(), timeoutMs, () => `read up to ${next.join(',')}`);
      } finally {
        await consumer.disconnect();
      }
      return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    },
  };
}

/**
 * Creates topics and waits until every partition has a leader that serves it (answers ListOffsets). Not kafkajs's waitForLeaders: it asks the broker for
 * the topics' metadata once right after creating them and fails on UNKNOWN_TOPIC_OR_PARTITION, which a busy KRaft
 * broker answers until its metadata cache has the new topics (it retries only LEADER_NOT_AVAILABLE).
 */
export async function createTopics(admin: Admin, topics: readonly (readonly [name: string, partitions: number, configs?: Record<string, string>])[]): Promise<void> {
  await admin.createTopics({
    topics: topics.map(([topic, numPartitions, configs]) => ({ topic, numPartitions, configEntries: Object.entries(configs ?? {}).map(([name, value]) => ({ name, value })) })),
    waitForLeaders: false,
  });
  let last = '';
  await until(`topics ${topics.map(([n]) => n).join(', ')} to have leaders serving them`, async () => {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: topics.map(([n]) => n) });
      const led = topics.every(([n, partitions]) => {
        const meta = found.find((x) => x.name === n);
        return meta !== undefined && meta.partitions.length === partitions && meta.partitions.every((p) => p.leader >= 0);
      });
      if (!led) return false;
      // A leader named in the metadata is not yet a partition its broker has loaded (under load, up to 0.5 s later:
      // a produce meanwhile is refused as UNKNOWN_TOPIC_OR_PARTITION): wait until it answers ListOffsets for each.
      for (const [n, partitions] of topics) if ((await admin.fetchTopicOffsets(n)).length !== partitions) return false;
      return true;
    } catch (e) {
      last = (e as Error).message;
      return false;
    }
  }, 30_000, () => last);
}

/** Polls `condition` every 100 ms until it holds; past the deadline, fails naming what was awaited and the last state. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000, state: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${state() ? `; last: ${state()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
