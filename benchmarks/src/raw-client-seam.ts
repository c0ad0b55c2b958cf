import type { Headers } from '@ts-streams/dsl';
import {
  KafkajsClient, KafkatsClient, defaultPartition,
  type GroupAssignor, type KafkaClient, type KafkaProducer, type MemberAssignment, type ProducerRecord, type TopicPartitionOffset,
} from '@ts-streams/runtime';
import { KeySampler } from './key-sampler.ts';
import type { RawClient } from './raw-client.ts';
import type { RunPhase } from './run-phase.ts';
import type { ClientAdapter, RunResult } from './run-result.ts';
import type { RunSpec } from './run-spec.ts';

/** A run whose count has not moved for this long has stalled: it fails, saying where it stood. */
const STALL_MS = 60_000;
/** As the suite's stream processors: max.poll.records 1000, and the runtime's fetch buffer of twice that. */
const MAX_POLL_RECORDS = 1000;
/** Sends in flight before the next waits, as the produce bench's best shape (FACTS.md). */
const IN_FLIGHT = 8;
const NO_HEADERS: Headers = Object.freeze([]) as Headers;

/**
 * Every partition to the group's members in turn (the raw runs have one member). The runtime's own assignor hands
 * out tasks of a topology; a raw run has none.
 */
const roundRobin: GroupAssignor = {
  name: 'bench-raw-round-robin',
  version: 0,
  subscriptionUserData: () => new Uint8Array(0),
  assign(group) {
    const partitions = [...group.partitionsPerTopic].flatMap(([topic, n]) => Array.from({ length: n }, (_, partition) => ({ topic, partition })));
    const out = new Map<string, MemberAssignment>();
    group.members.forEach((m, i) => out.set(m.memberId, {
      partitions: partitions.filter((_, p) => p % group.members.length === i), userData: new Uint8Array(0),
    }));
    return out;
  },
};

function client(adapter: ClientAdapter, spec: RunSpec): KafkaClient {
  const options = { bootstrapServers: spec.brokers, clientId: spec.applicationId };
  return adapter === 'kafkats' ? new KafkatsClient(options) : new KafkajsClient(options);
}

/** Sends with at most IN_FLIGHT unacknowledged: waits for one to settle when there are that many. */
class Sends {
  readonly #inFlight = new Set<Promise<unknown>>();
  #failure: unknown;

  constructor(private readonly producer: KafkaProducer) {}

  async add(records: readonly ProducerRecord[]): Promise<void> {
    const p: Promise<unknown> = this.producer.send(records).catch((e: unknown) => { this.#failure ??= e; }).finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
    if (this.#inFlight.size >= IN_FLIGHT) await Promise.race(this.#inFlight);
    this.#check();
  }

  async all(): Promise<void> {
    await Promise.all(this.#inFlight);
    await this.producer.flush();
    this.#check();
  }

  #check(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/**
 * The input read from the start by the adapter's own group consumer — the one KafkaStreams polls (for kafkajs: our
 * Fetch decoder on its connections; for kafkats: our fetcher over its Broker) — polling 1,000 records at a time, no
 * processing; with `produce`, each poll's records also sent to the output's same partition through the adapter's
 * producer (our record batches), as the runtime's sink sends. Offsets committed at the end.
 */
async function consume(adapter: ClientAdapter, spec: RunSpec, phase: RunPhase, produce: boolean): Promise<RunResult> {
  const c = client(adapter, spec);
  const producer = produce ? c.producer({}) : undefined;
  await producer?.connect();
  const sends = producer === undefined ? undefined : new Sends(producer);
  const consumer = c.groupConsumer({
    groupId: spec.applicationId, assignor: roundRobin, offsetReset: () => 'earliest', isolation: 'read_uncommitted',
    sessionTimeoutMs: 45_000, maxBufferedRecords: MAX_POLL_RECORDS * 2,
  });
  await consumer.subscribe([spec.input], {
    onRevoked: async () => undefined,
    onLost: async () => undefined,
    onAssigned: async () => {
      if (!phase.begun) await phase.begin();
    },
  });
  let count = 0;
  const next = new Map<number, number>();
  let moved = { at: performance.now(), count };
  while (count < spec.records) {
    const fetched = await consumer.poll({ maxRecords: MAX_POLL_RECORDS, timeoutMs: 1000 });
    for (const f of fetched) {
      if (f.records.length === 0) continue;
      phase.firstRecord();
      count += f.records.length;
      next.set(f.partition, f.nextOffset);
      if (sends !== undefined) {
        const records: ProducerRecord[] = f.records.map((r) => ({ topic: spec.output, partition: f.partition, key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers }));
        await sends.add(records);
      }
    }
    if (count !== moved.count) moved = { at: performance.now(), count };
    else if (performance.now() - moved.at > STALL_MS) throw new Error(`${spec.workload}: stalled at ${count} of ${spec.records} records for ${STALL_MS / 1000} s.`);
  }
  await sends?.all();
  await phase.end();
  const offsets: TopicPartitionOffset[] = [...next].map(([partition, offset]) => ({ topic: spec.input, partition, offset }));
  await consumer.commit(offsets);
  await consumer.close();
  await producer?.close();
  await c.close();
  phase.closed();
  return phase.result({ workload: spec.workload, applicationId: spec.applicationId, processed: count });
}

/**
 * Produces spec.records records shaped as the suite's input through the adapter's producer (our record batches on
 * the client's connections), fed as the runtime's sink feeds it: murmur2 of the key per record, 1,000 per send, 8
 * sends in flight, then flush.
 */
async function produce(adapter: ClientAdapter, spec: RunSpec, phase: RunPhase): Promise<RunResult> {
  const shape = spec.produce;
  if (shape === undefined) throw new Error(`${spec.workload}: a produce run needs spec.produce (the records' shape).`);
  const c = client(adapter, spec);
  const admin = c.admin();
  await admin.connect();
  const partitions = (await admin.describeTopics([spec.output])).get(spec.output)?.partitions;
  await admin.close();
  if (partitions === undefined) throw new Error(`${spec.workload}: the output topic ${spec.output} does not exist (the suite creates it before the run).`);
  const producer = c.producer({});
  await producer.connect();
  const value = Buffer.alloc(shape.valueBytes, 'v');
  const keyBytes = Array.from({ length: shape.keys }, (_, i) => Buffer.from(String(i)));
  const keyPartitions = keyBytes.map((k) => defaultPartition(k, partitions));
  const keys = new KeySampler(shape.keys, shape.skew, shape.seed);
  const sends = new Sends(producer);
  await phase.begin();
  phase.firstRecord();
  for (let i = 0; i < spec.records; i += MAX_POLL_RECORDS) {
    const records: ProducerRecord[] = [];
    for (let j = i; j < Math.min(spec.records, i + MAX_POLL_RECORDS); j++) {
      const k = keys.next();
      records.push({ topic: spec.output, partition: keyPartitions[k]!, key: keyBytes[k]!, value, timestamp: shape.timestampBase + j, headers: NO_HEADERS });
    }
    await sends.add(records);
  }
  await sends.all();
  await phase.end();
  await producer.close();
  await c.close();
  phase.closed();
  return phase.result({ workload: spec.workload, applicationId: spec.applicationId, processed: spec.records });
}

/** The adapter's own consumer and producer, as the runtime uses them: what ts-streams' figures are divided by. */
export function seamRawClient(adapter: ClientAdapter): RawClient {
  return {
    consume: (spec, phase) => consume(adapter, spec, phase, false),
    produce: (spec, phase) => produce(adapter, spec, phase),
    consumeProduce: (spec, phase) => consume(adapter, spec, phase, true),
  };
}
