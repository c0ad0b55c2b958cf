/**
 * One measured produce run in a process of its own (produce-bench.ts spawns it), so that its CPU seconds are its
 * producer's alone:
 *
 *   node --conditions=@ts-streams/source --import tsx benchmarks/src/produce-bench-run.ts '<ProduceRunSpec as JSON>'
 *
 * Writes `records` records (key `String(i % keys)`, a value of `valueBytes` bytes, timestamps 1 ms apart) to a
 * 4-partition topic, partitioned by murmur2 of the key as Java's default partitioner, and prints one line
 * `RESULT <ProduceRunResult as JSON>`. The measured phase: the first send → every record acknowledged (connecting is
 * not in it).
 * - `kafkajs`: kafkajs 2.2.4's own producer, idempotent, acks=all, its Java-compatible (murmur2) partitioner, 1,000
 *   messages per send() and 8 sends in flight (the best of the shapes FACTS.md tried).
 * - `ts-streams`: the runtime's produce path, the kafkajs adapter's KafkaProducer (its own record batches on
 *   kafkajs's connections), fed as the runtime's ProducerRecordSink feeds it: murmur2 per record (defaultPartition),
 *   1,000 records per send() and 8 sends in flight, then flush().
 * - `ts-streams-kafkats`: the same through the @kafkats/client adapter's KafkaProducer.
 */
import { Kafka, Partitioners, logLevel, type Message } from 'kafkajs';
import type { Headers } from '@ts-streams/dsl';
import { KafkajsClient, KafkatsClient, defaultPartition, type ProducerRecord } from '@ts-streams/runtime';

export type ProduceClient = 'kafkajs' | 'ts-streams' | 'ts-streams-kafkats';

export interface ProduceRunSpec {
  readonly client: ProduceClient;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly partitions: number;
  readonly records: number;
  readonly keys: number;
  readonly valueBytes: number;
}

export interface ProduceRunResult {
  readonly client: ProduceClient;
  /** First send → every record acknowledged, ms. */
  readonly produceMs: number;
  /** CPU seconds (user + system, all threads) of that phase. */
  readonly cpuSeconds: number;
  readonly maxRssBytes: number;
}

const NO_HEADERS: Headers = Object.freeze([]) as Headers;

async function runKafkajs(spec: ProduceRunSpec, keys: readonly Buffer[], value: Buffer, base: number): Promise<ProduceRunResult> {
  const kafka = new Kafka({ clientId: 'produce-bench-kafkajs', brokers: [...spec.brokers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < spec.records; i += 1000) {
    const messages: Message[] = [];
    for (let j = i; j < Math.min(spec.records, i + 1000); j++) messages.push({ key: keys[j % spec.keys]!, value, timestamp: String(base + j) });
    const p: Promise<unknown> = producer.send({ topic: spec.topic, acks: -1, messages }).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 8) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const produceMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  await producer.disconnect();
  return { client: spec.client, produceMs, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
}

async function runOurs(spec: ProduceRunSpec, keys: readonly Buffer[], value: Buffer, base: number): Promise<ProduceRunResult> {
  const options = { bootstrapServers: spec.brokers, clientId: `produce-bench-${spec.client}` };
  const client = spec.client === 'ts-streams-kafkats' ? new KafkatsClient(options) : new KafkajsClient(options);
  const producer = client.producer({});
  await producer.connect();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < spec.records; i += 1000) {
    const records: ProducerRecord[] = [];
    for (let j = i; j < Math.min(spec.records, i + 1000); j++) {
      const key = keys[j % spec.keys]!;
      records.push({ topic: spec.topic, partition: defaultPartition(key, spec.partitions), key, value, timestamp: base + j, headers: NO_HEADERS });
    }
    const p: Promise<unknown> = producer.send(records).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 8) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await producer.flush();
  const produceMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  await client.close();
  return { client: spec.client, produceMs, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
}

const spec = JSON.parse(process.argv[2] ?? '') as ProduceRunSpec;
const keys = Array.from({ length: spec.keys }, (_, k) => Buffer.from(String(k)));
const value = Buffer.alloc(spec.valueBytes, 'v');
const base = Date.now() - spec.records;
let result: ProduceRunResult;
try {
  result = spec.client === 'kafkajs' ? await runKafkajs(spec, keys, value, base) : await runOurs(spec, keys, value, base);
} catch (e) {
  console.error((e as Error).stack ?? String(e));
  process.exit(1);
}
console.log(`RESULT ${JSON.stringify(result)}`);
process.exit(0);
