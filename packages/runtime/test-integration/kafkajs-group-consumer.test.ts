// The group consumer of the adapter under test (KAFKA_TEST_CLIENT: kafkajs, or @kafkats/client, whose membership is
// ours) against the real broker: our assignor decides who reads what, partitions change hands on join and leave with
// their offsets committed, committed offsets resume, and fetching runs ahead of polls by a bounded number of records.
import { randomUUID } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import { kafkaTest, type TestBroker } from './kafka-test.ts';
import type { KafkaClient } from '../src/client/kafka-client.ts';
import type { GroupAssignor, GroupSnapshot, MemberAssignment } from '../src/client/group-assignor.ts';
import type { GroupConsumer, RebalanceListener } from '../src/client/group-consumer.ts';
import type { KafkaProducer } from '../src/client/kafka-producer.ts';
import type { TopicPartition } from '../src/io/topic-partition.ts';
import { ClientError } from '../src/errors/client-error.ts';

const PARTITIONS = 4;

/**
 * A test assignor (the real one, src/assignment/, hands out tasks): each member asks for partitions in its userData
 * ("0,1"); each gets what it asked for, and what nobody asked for goes to the member with the smallest id. Each
 * member's assignment userData names the member and the group size, so onAssigned shows it arrived.
 */
class WishAssignor implements GroupAssignor {
  readonly name = 'ts-streams-test-wish';
  readonly version = 1;
  constructor(readonly wish: readonly number[]) {}

  subscriptionUserData(): Uint8Array {
    return Buffer.from(this.wish.join(','));
  }

  assign(group: GroupSnapshot): ReadonlyMap<string, MemberAssignment> {
    const members = [...group.members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
    const topic = members[0].topics[0];
    const count = group.partitionsPerTopic.get(topic) ?? 0;
    const owner = new Map<number, string>();
    for (const member of members) {
      const wished = Buffer.from(member.userData).toString();
      for (const p of wished === '' ? [] : wished.split(',').map(Number)) if (p < count && !owner.has(p)) owner.set(p, member.memberId);
    }
    for (let p = 0; p < count; p++) if (!owner.has(p)) owner.set(p, members[0].memberId);
    return new Map(
      members.map((member) => [
        member.memberId,
        {
          partitions: [...owner].filter(([, id]) => id === member.memberId).map(([partition]) => ({ topic, partition })),
          userData: Buffer.from(`${member.memberId} of ${members.length}`),
        },
      ]),
    );
  }
}

/** What the runtime does with a group consumer, in small: poll, "process", commit after each batch and on revoke. */
class Member {
  readonly received: { partition: number; offset: number; value: string }[] = [];
  readonly events: string[] = [];
  readonly assignments: MemberAssignment[] = [];
  readonly lagZero = new Set<number>();
  readonly consumer: GroupConsumer;
  /** The next offset to commit per partition owned. */
  readonly #processed = new Map<number, number>();
  #stopped = false;
  #loop: Promise<void> | undefined;
  /** Why the poll loop ended early, if it did: stop() rethrows it. */
  failure: unknown;

  constructor(
    readonly name: string,
    readonly client: KafkaClient,
    readonly topic: string,
    groupId: string,
    wish: readonly number[],
    maxBufferedRecords = 1_000,
  ) {
    this.consumer = client.groupConsumer({
      groupId,
      assignor: new WishAssignor(wish),
      offsetReset: () => 'earliest',
      isolation: 'read_uncommitted',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 20_000,
      maxBufferedRecords,
    });
  }

  async start(): Promise<void> {
    const listener: RebalanceListener = {
      onRevoked: async (partitions) => {
        this.events.push(`revoked ${numbers(partitions)}`);
        await this.#commit(partitions);
        for (const tp of partitions) this.#processed.delete(tp.partition);
      },
      onLost: async (partitions) => {
        this.events.push(`lost ${numbers(partitions)}`);
        for (const tp of partitions) this.#processed.delete(tp.partition);
      },
      onAssigned: async (assignment) => {
        this.events.push(`assigned ${numbers(assignment.partitions)} (${Buffer.from(assignment.userData).toString()})`);
        this.assignments.push(assignment);
        this.lagZero.clear();
      },
    };
    await this.consumer.subscribe([this.topic], listener);
    this.#loop = this.#run().catch((error) => {
      this.failure = error;
    });
  }

  get assigned(): number[] {
    return this.assignments.length === 0 ? [] : this.assignments[this.assignments.length - 1].partitions.map((tp) => tp.partition).sort();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#loop;
    await this.consumer.close();
    if (this.failure !== undefined) throw this.failure;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const batches = await this.consumer.poll({ maxRecords: 200, timeoutMs: 200 });
      let any = false;
      for (const batch of batches) {
        for (const r of batch.records) this.received.push({ partition: batch.partition, offset: r.offset!, value: Buffer.from(r.value!).toString() });
        if (batch.records.length > 0) any = true;
        this.#processed.set(batch.partition, batch.nextOffset);
        if (batch.lag === 0) this.lagZero.add(batch.partition);
      }
      if (any) await this.#commit([...this.#processed.keys()].map((partition) => ({ topic: this.topic, partition })));
    }
  }

  async #commit(partitions: readonly TopicPartition[]): Promise<void> {
    const offsets = partitions.flatMap((tp) => {
      const offset = this.#processed.get(tp.partition);
      return offset === undefined ? [] : [{ topic: this.topic, partition: tp.partition, offset }];
    });
    try {
      await this.consumer.commit(offsets);
    } catch (error) {
      // The group moved on: what was not committed is read again by the partitions' next owner (at-least-once).
      if (!(error instanceof ClientError && error.reason === 'rebalanced')) throw error;
      this.events.push(`commit refused: ${error.message}`);
    }
  }
}

function numbers(partitions: readonly TopicPartition[]): string {
  return `[${partitions.map((tp) => tp.partition).sort().join(',')}]`;
}

function newClient(t: ExecutionContext, broker: TestBroker, clientId: string): KafkaClient {
  const client = broker.seamClient(clientId);
  t.teardown(() => client.close());
  return client;
}

async function produce(producer: KafkaProducer, topic: string, from: number, count: number): Promise<void> {
  // Record i goes to partition i % 4 with value "i".
  await producer.send(
    Array.from({ length: count }, (_, j) => {
      const i = from + j;
      return { topic, partition: i % PARTITIONS, key: null, value: Buffer.from(String(i)), timestamp: i, headers: [] };
    }),
  );
}

async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function values(...members: Member[]): number[] {
  return members.flatMap((m) => m.received.map((r) => Number(r.value))).sort((a, b) => a - b);
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

kafkaTest('group consumer: our assignor splits the partitions between two members, a leaving member hands its partitions over, each record is read once, committed offsets resume', async (t, broker) => {
  const topic = `kafkajs-group-${randomUUID()}`;
  const groupId = `kafkajs-group-${randomUUID()}`;
  const kafkaA = newClient(t, broker, 'member-a');
  const kafkaB = newClient(t, broker, 'member-b');
  const admin = kafkaA.admin();
  t.teardown(() => cleanup(broker, [topic], groupId));
  await admin.createTopics([{ name: topic, partitions: PARTITIONS, configs: {} }]);
  const producer = kafkaA.producer({});
  await produce(producer, topic, 0, 400);

  // A alone: our assignor gives it every partition (nobody else asked for 2 and 3).
  const a = new Member('a', kafkaA, topic, groupId, [0, 1]);
  t.teardown(() => a.stop().catch(() => undefined));
  await a.start();
  t.deepEqual(a.assigned, [0, 1, 2, 3]);
  t.regex(Buffer.from(a.assignments[0].userData).toString(), / of 1$/, 'the assignor userData reaches onAssigned');
  await until('A reads the first 400', () => a.received.length >= 400);

  // B joins, asking for 2 and 3, while records keep coming: the assignor's decision splits the partitions.
  let produced = 400;
  let trickling = true;
  const trickle = (async () => {
    while (trickling) {
      await produce(producer, topic, produced, 20);
      produced += 20;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const b = new Member('b', kafkaB, topic, groupId, [2, 3]);
  t.teardown(() => b.stop().catch(() => undefined));
  await b.start();
  await until('the assignor splits the partitions', () => a.assigned.join() === '0,1' && b.assigned.join() === '2,3');
  // Records keep flowing to both for a moment after the split.
  await new Promise((resolve) => setTimeout(resolve, 500));
  trickling = false;
  await trickle;
  await until(`A and B read all ${produced}`, () => new Set(values(a, b)).size >= produced);
  t.regex(Buffer.from(b.assignments[b.assignments.length - 1].userData).toString(), / of 2$/);
  t.true(a.events.some((e) => e.startsWith('revoked [0,1,2,3]') || e.startsWith('lost')), a.events.join('; '));
  t.true(b.received.every((r) => r.partition === 2 || r.partition === 3));
  t.true(b.received.length > 0, 'B read some of what came after it joined');

  // B leaves: its partitions come back to A, which reads what follows.
  await b.stop();
  await until('A owns every partition again', () => a.assigned.length === 4);
  await produce(producer, topic, produced, 200);
  produced += 200;
  await until(`A reads ${produced} in all`, () => new Set(values(a, b)).size >= produced);
  await a.stop();
  t.log(`A: ${a.events.join('; ')}`);
  t.log(`B: ${b.events.join('; ')}`);

  // Each record exactly once across the members, in offset order per partition and member.
  t.deepEqual(values(a, b), range(0, produced));
  for (const m of [a, b]) {
    for (let p = 0; p < PARTITIONS; p++) {
      const offsets = m.received.filter((r) => r.partition === p).map((r) => r.offset);
      t.deepEqual(offsets, [...offsets].sort((x, y) => x - y), `${m.name}, partition ${p}, in offset order`);
    }
  }

  // The group committed every partition's end: a new member resumes there, reads nothing old, sees it is caught
  // up, and then reads exactly what is new.
  const kafkaC = newClient(t, broker, 'member-c');
  const c = new Member('c', kafkaC, topic, groupId, []);
  t.teardown(() => c.stop().catch(() => undefined));
  const committed = await c.consumer.committed(range(0, PARTITIONS).map((partition) => ({ topic, partition })));
  t.deepEqual(committed.map((o) => o.offset), [produced / 4, produced / 4, produced / 4, produced / 4]);
  await c.start();
  await until('C sees every partition caught up', () => c.lagZero.size === PARTITIONS, 10_000);
  t.deepEqual(c.received, []);
  await produce(producer, topic, produced, 8);
  await until('C reads the 8 new records', () => c.received.length >= 8);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await c.stop();
  t.deepEqual(values(c), range(produced, 8));
  await producer.close();
});

kafkaTest('group consumer: a member idle when another joins learns of it from the heartbeat after an empty fetch, and its rejoin waits for the revoke: all it owned is revoked (committable), nothing is read twice', async (t, broker) => {
  const topic = `kafkajs-idle-${randomUUID()}`;
  const groupId = `kafkajs-idle-${randomUUID()}`;
  const kafkaA = newClient(t, broker, 'idle-a');
  const kafkaB = newClient(t, broker, 'idle-b');
  t.teardown(() => cleanup(broker, [topic], groupId));
  await kafkaA.admin().createTopics([{ name: topic, partitions: PARTITIONS, configs: {} }]);
  const producer = kafkaA.producer({});
  await produce(producer, topic, 0, 400);
  const a = new Member('a', kafkaA, topic, groupId, [0, 1]);
  t.teardown(() => a.stop().catch(() => undefined));
  await a.start();
  await until('A reads the first 400', () => a.received.length >= 400);
  // A has nothing more to fetch: kafkajs learns of the next rebalance from the heartbeat after an empty fetch, which
  // kafkajs-rebalance-hold.ts holds until A's revoke ran (before it, kafkajs rejoined at once and A's partitions were
  // lost); the kafkats adapter learns of it from its heartbeat and revokes in the next poll, before it rejoins.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const b = new Member('b', kafkaB, topic, groupId, [2, 3]);
  t.teardown(() => b.stop().catch(() => undefined));
  await b.start();
  await until('the assignor splits the partitions', () => a.assigned.join() === '0,1' && b.assigned.join() === '2,3');
  await produce(producer, topic, 400, 400);
  await until('A and B read all 800', () => new Set(values(a, b)).size >= 800);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await b.stop();
  await a.stop();
  await producer.close();
  t.log(`A: ${a.events.join('; ')}`);
  t.log(`B: ${b.events.join('; ')}`);
  const rebalance = a.events.slice(1, 3).join('; ');
  t.true(rebalance.startsWith('revoked [0,1,2,3]; assigned [0,1]'), rebalance);
  t.deepEqual(values(a, b), range(0, 800));
});

kafkaTest('group consumer: fetching runs ahead of polls by at most maxBufferedRecords plus one fetched batch', async (t, broker) => {
  const topic = `kafkajs-backpressure-${randomUUID()}`;
  const groupId = `kafkajs-backpressure-${randomUUID()}`;
  const kafka = newClient(t, broker, 'backpressure');
  t.teardown(() => cleanup(broker, [topic], groupId));
  await kafka.admin().createTopics([{ name: topic, partitions: PARTITIONS, configs: {} }]);
  const producer = kafka.producer({});
  const TOTAL = 8_000;
  const PER_PARTITION = TOTAL / PARTITIONS;
  await Promise.all(range(0, 8).map((send) => produce(producer, topic, send * 1_000, 1_000)));
  await producer.close();

  const BOUND = 300;
  const consumer = kafka.groupConsumer({
    groupId,
    assignor: new WishAssignor([]),
    offsetReset: () => 'earliest',
    isolation: 'read_uncommitted',
    maxBufferedRecords: BOUND,
  }) as GroupConsumer & { readonly bufferedRecords: number };
  await consumer.subscribe([topic], { onRevoked: async () => {}, onLost: async () => {}, onAssigned: async () => {} });

  // Nobody polls: the adapter fetched, and its fetching is held once the buffer is over the bound.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const idle = consumer.bufferedRecords;
  t.log(`buffered while nobody polls: ${idle} of ${TOTAL}`);
  t.true(idle > 0 && idle <= BOUND + PER_PARTITION, `${idle} buffered`);

  const seen: number[] = [];
  let most = idle;
  const deadline = Date.now() + 15_000;
  while (seen.length < TOTAL && Date.now() < deadline) {
    const batches = await consumer.poll({ maxRecords: 100, timeoutMs: 500 });
    t.true(batches.reduce((n, b) => n + b.records.length, 0) <= 100);
    for (const b of batches) for (const r of b.records) seen.push(Number(Buffer.from(r.value!).toString()));
    most = Math.max(most, consumer.bufferedRecords);
  }
  t.log(`most buffered between polls: ${most}`);
  t.true(most <= BOUND + PER_PARTITION);
  t.deepEqual(seen.sort((x, y) => x - y), range(0, TOTAL));
  await consumer.close();
});

async function cleanup(broker: TestBroker, topics: string[], groupId: string): Promise<void> {
  const admin = broker.kafka('kafkajs-adapter-cleanup').admin();
  await admin.connect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}
