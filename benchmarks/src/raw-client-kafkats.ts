import { KafkaClient, type Producer, type ProducerMessage } from '@kafkats/client';
import { KeySampler } from './key-sampler.ts';
import type { RawClient } from './raw-client.ts';
import type { RunPhase } from './run-phase.ts';
import type { RunResult } from './run-result.ts';
import type { RunSpec } from './run-spec.ts';

/** A run whose count has not moved for this long has stalled: it fails, saying where it stood. */
const STALL_MS = 60_000;
/** Records per send() and sends in flight, as the kafkajs raw client. */
const PER_SEND = 1000;
const IN_FLIGHT = 8;

function client(spec: RunSpec): KafkaClient {
  return new KafkaClient({ brokers: [...spec.brokers], clientId: spec.applicationId });
}

/** @kafkats/client's idempotent producer (acks=all), as the runtime's adapter writes. */
function producer(c: KafkaClient): Producer {
  return c.producer({ idempotent: true, acks: 'all' });
}

/** Sends with at most IN_FLIGHT unacknowledged: waits for one to settle when there are that many. */
class Sends {
  readonly #inFlight = new Set<Promise<unknown>>();
  #failure: unknown;

  async add(send: Promise<unknown>): Promise<void> {
    const p: Promise<unknown> = send.catch((e: unknown) => { this.#failure ??= e; }).finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
    if (this.#inFlight.size >= IN_FLIGHT) await Promise.race(this.#inFlight);
    if (this.#failure !== undefined) throw this.#failure;
  }

  async all(): Promise<void> {
    await Promise.all(this.#inFlight);
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/**
 * The input read from the start by @kafkats/client's own consumer (`runBatch`, the range assignor), no processing;
 * with `produce`, each batch also sent to the output. Offsets committed when it stops.
 */
async function consume(spec: RunSpec, phase: RunPhase, produce: boolean): Promise<RunResult> {
  const c = client(spec);
  await c.connect();
  const out = produce ? producer(c) : undefined;
  const sends = new Sends();
  const consumer = c.consumer({
    groupId: spec.applicationId, sessionTimeoutMs: 45_000, rebalanceTimeoutMs: 300_000, maxWaitMs: 500,
    autoOffsetReset: 'earliest', isolationLevel: 'read_uncommitted', partitionAssignmentStrategy: 'range', maxRecords: 1000,
  });
  consumer.on('error', () => undefined);
  consumer.on('partitionsAssigned', () => {
    if (!phase.begun) void phase.begin();
  });
  let count = 0;
  let failed: unknown;
  let reached!: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  const running = consumer.runBatch(spec.input, async (batch) => {
    phase.firstRecord();
    count += batch.length;
    if (out !== undefined) {
      const messages: ProducerMessage[] = batch.map((m) => ({ key: m.key, value: m.value, timestamp: new Date(Number(m.timestamp)) }));
      for (let i = 0; i < messages.length; i += PER_SEND) {
        await sends.add(out.send(spec.output, messages.slice(i, i + PER_SEND))).catch((e: unknown) => {
          failed ??= e;
          reached();
        });
      }
    }
    if (count >= spec.records) reached();
  }, { autoCommit: false, commitOffsets: true });
  running.catch((e: unknown) => {
    failed ??= e;
    reached();
  });
  let moved = { at: performance.now(), count };
  while (count < spec.records && failed === undefined) {
    if (performance.now() - moved.at > STALL_MS) throw new Error(`${spec.workload}: stalled at ${count} of ${spec.records} records for ${STALL_MS / 1000} s.`);
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (count !== moved.count) moved = { at: performance.now(), count };
  }
  if (failed !== undefined) throw new Error(`${spec.workload}: ${String(failed)}`);
  await sends.all();
  await phase.end();
  // stop() commits what the handler consumed, then leaves the group.
  consumer.stop();
  await running;
  await out?.disconnect();
  await c.disconnect();
  phase.closed();
  return phase.result({ workload: spec.workload, applicationId: spec.applicationId, processed: count });
}

/** Produces spec.records records shaped as the suite's input (1,000 per send, 8 sends in flight). */
async function produce(spec: RunSpec, phase: RunPhase): Promise<RunResult> {
  const shape = spec.produce;
  if (shape === undefined) throw new Error(`${spec.workload}: a produce run needs spec.produce (the records' shape).`);
  const c = client(spec);
  await c.connect();
  const p = producer(c);
  const value = Buffer.alloc(shape.valueBytes, 'v');
  const keyBytes = Array.from({ length: shape.keys }, (_, i) => Buffer.from(String(i)));
  const keys = new KeySampler(shape.keys, shape.skew, shape.seed);
  const sends = new Sends();
  await phase.begin();
  phase.firstRecord();
  for (let i = 0; i < spec.records; i += PER_SEND) {
    const messages: ProducerMessage[] = [];
    for (let j = i; j < Math.min(spec.records, i + PER_SEND); j++) messages.push({ key: keyBytes[keys.next()]!, value, timestamp: new Date(shape.timestampBase + j) });
    await sends.add(p.send(spec.output, messages));
  }
  await sends.all();
  await phase.end();
  await p.disconnect();
  await c.disconnect();
  phase.closed();
  return phase.result({ workload: spec.workload, applicationId: spec.applicationId, processed: spec.records });
}

export const kafkatsRawClient: RawClient = {
  consume: (spec, phase) => consume(spec, phase, false),
  produce,
  consumeProduce: (spec, phase) => consume(spec, phase, true),
};
