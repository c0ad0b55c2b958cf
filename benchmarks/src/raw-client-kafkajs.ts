import { Kafka, logLevel, type Producer } from 'kafkajs';
import { KeySampler } from './key-sampler.ts';
import type { RawClient } from './raw-client.ts';
import type { RunPhase } from './run-phase.ts';
import type { RunResult } from './run-result.ts';
import type { RunSpec } from './run-spec.ts';

/** A run whose count has not moved for this long has stalled: it fails, saying where it stood. */
const STALL_MS = 60_000;
/** kafkajs's best produce shape here (FACTS.md): 1,000 records per send, 8 sends in flight. */
const PER_SEND = 1000;
const IN_FLIGHT = 8;

function kafka(spec: RunSpec): Kafka {
  return new Kafka({ clientId: spec.applicationId, brokers: [...spec.brokers], logLevel: logLevel.NOTHING });
}

/**
 * kafkajs's own idempotent producer (acks=all), the library's ceiling. The runtime's kafkajs adapter no longer produces
 * through it: it writes our record batches on kafkajs's connections (`npm run bench -- produce` compares the two).
 */
async function producer(k: Kafka): Promise<Producer> {
  const p = k.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await p.connect();
  return p;
}

/** Sends with at most IN_FLIGHT sends unacknowledged: waits for one to settle when there are that many. */
class Sends {
  readonly #inFlight = new Set<Promise<unknown>>();
  #failure: unknown;

  async add(send: Promise<unknown>): Promise<void> {
    const p: Promise<unknown> = send.catch((e: unknown) => { this.#failure ??= e; }).finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
    if (this.#inFlight.size >= IN_FLIGHT) await Promise.race(this.#inFlight);
    this.#check();
  }

  async all(): Promise<void> {
    await Promise.all(this.#inFlight);
    this.#check();
  }

  #check(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/**
 * Reads the input from the start with kafkajs's group consumer as the runtime's adapter sets it up
 * (kafkajs-group-consumer.ts), `eachBatch`, no processing; with `produce`, each batch is also sent to the output.
 */
async function consume(spec: RunSpec, phase: RunPhase, produce: boolean): Promise<RunResult> {
  const k = kafka(spec);
  const consumer = k.consumer({
    groupId: spec.applicationId, sessionTimeout: 45_000, rebalanceTimeout: 300_000, heartbeatInterval: 3_000,
    maxWaitTimeInMs: 500, readUncommitted: true, allowAutoTopicCreation: false,
  });
  const out = produce ? await producer(k) : undefined;
  const sends = new Sends();
  await consumer.connect();
  await consumer.subscribe({ topics: [spec.input], fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (!phase.begun) void phase.begin();
  });
  let count = 0;
  let failure: unknown;
  const next = new Map<number, string>();
  let reached!: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch }) => {
      phase.firstRecord();
      count += batch.messages.length;
      next.set(batch.partition, String(Number(batch.lastOffset()) + 1));
      if (out !== undefined) {
        const messages = batch.messages.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp }));
        for (let i = 0; i < messages.length; i += PER_SEND) {
          await sends.add(out.send({ topic: spec.output, acks: -1, messages: messages.slice(i, i + PER_SEND) })).catch((e: unknown) => {
            failure ??= e;
            reached();
          });
        }
      }
      if (count >= spec.records) reached();
    },
  });
  let moved = { at: performance.now(), count };
  while (count < spec.records && failure === undefined) {
    if (performance.now() - moved.at > STALL_MS) throw new Error(`${spec.workload}: stalled at ${count} of ${spec.records} records for ${STALL_MS / 1000} s.`);
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (count !== moved.count) moved = { at: performance.now(), count };
  }
  if (failure !== undefined) throw new Error(`${spec.workload}: producing to ${spec.output} failed: ${String(failure)}`);
  await sends.all();
  await phase.end();
  await consumer.commitOffsets([...next].map(([partition, offset]) => ({ topic: spec.input, partition, offset })));
  await consumer.disconnect();
  await out?.disconnect();
  phase.closed();
  return phase.result({ workload: spec.workload, applicationId: spec.applicationId, processed: count });
}

/** Produces spec.records records shaped as the suite's input (1,000 per send, 8 sends in flight). */
async function produce(spec: RunSpec, phase: RunPhase): Promise<RunResult> {
  const shape = spec.produce;
  if (shape === undefined) throw new Error(`${spec.workload}: a produce run needs spec.produce (the records' shape).`);
  const k = kafka(spec);
  const p = await producer(k);
  const value = Buffer.alloc(shape.valueBytes, 'v');
  const keyBytes = Array.from({ length: shape.keys }, (_, i) => Buffer.from(String(i)));
  const keys = new KeySampler(shape.keys, shape.skew, shape.seed);
  const sends = new Sends();
  await phase.begin();
  phase.firstRecord();
  for (let i = 0; i < spec.records; i += PER_SEND) {
    const messages = [];
    for (let j = i; j < Math.min(spec.records, i + PER_SEND); j++) messages.push({ key: keyBytes[keys.next()]!, value, timestamp: String(shape.timestampBase + j) });
    await sends.add(p.send({ topic: spec.output, acks: -1, messages }));
  }
  await sends.all();
  await phase.end();
  await p.disconnect();
  phase.closed();
  return phase.result({ workload: spec.workload, applicationId: spec.applicationId, processed: spec.records });
}

export const kafkajsRawClient: RawClient = {
  consume: (spec, phase) => consume(spec, phase, false),
  produce,
  consumeProduce: (spec, phase) => consume(spec, phase, true),
};
