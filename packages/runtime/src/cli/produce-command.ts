// `streams produce <topic>`: records from stdin or a file (key<TAB>value, or JSON lines) serialized with named serdes.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { Serde } from '@ts-streams/dsl';
import type { ProducerRecord } from '../client/kafka-producer.ts';
import { defaultPartition } from '../io/murmur2.ts';
import { CliError } from './cli-error.ts';
import { choiceFlag, parseFlags } from './parse-flags.ts';
import { describeTarget, targetOf } from './client-for.ts';
import { openCluster } from './open-cluster.ts';
import { ensureTopic } from './ensure-topic.ts';
import { display } from './load-module.ts';
import { SERDE_NAMES, serdeNamed } from './serde-names.ts';
import { parseInputLine } from './input-line.ts';

/** Records per send. */
const BATCH = 1_000;

const FLAGS = {
  file: { type: 'string' },
  json: { type: 'boolean' },
  'key-serde': { type: 'string' },
  'value-serde': { type: 'string' },
  brokers: { type: 'string' },
  'state-dir': { type: 'string' },
  client: { type: 'string' },
} as const;

export async function produce(args: readonly string[]): Promise<number> {
  const { flags, positionals } = parseFlags('produce', args, FLAGS, { names: ['topic'], required: 1 });
  const topic = positionals[0]!;
  const serdes = {
    key: choiceFlag('produce', 'key-serde', flags['key-serde'], SERDE_NAMES) ?? 'string',
    value: choiceFlag('produce', 'value-serde', flags['value-serde'], SERDE_NAMES) ?? 'string',
  };
  const file = flags.file === undefined ? undefined : resolve(flags.file);
  if (file !== undefined && !existsSync(file)) throw new CliError(`--file ${display(file)} does not exist. Check the path, or leave --file out to read stdin.`);
  const source = file === undefined ? 'stdin' : display(file);
  const target = targetOf('produce', flags);
  const cluster = await openCluster(target, { clientId: 'streams-produce' });
  try {
    const partitions = await ensureTopic(cluster.admin, target, topic, (line) => process.stderr.write(`${line}\n`));
    const producer = cluster.client.producer({});
    await producer.connect();
    if (file === undefined && process.stdin.isTTY) {
      process.stderr.write(`Type records for ${topic}, one per line (${flags.json ? '{"key": …, "value": …}' : 'key<TAB>value'}); Ctrl-D ends.\n`);
    }
    const keySerde = serdeNamed(serdes.key);
    const valueSerde = serdeNamed(serdes.value);
    const perPartition = new Map<number, number>();
    let roundRobin = -1;
    let batch: ProducerRecord[] = [];
    let produced = 0;
    const send = async () => {
      if (batch.length === 0) return;
      await producer.send(batch);
      for (const r of batch) perPartition.set(r.partition, (perPartition.get(r.partition) ?? 0) + 1);
      produced += batch.length;
      batch = [];
    };
    const lines = createInterface({ input: file === undefined ? process.stdin : createReadStream(file), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let record: ProducerRecord;
      try {
        const input = parseInputLine(line, flags.json === true, serdes);
        const key = serialize(keySerde, topic, input.key);
        const value = serialize(valueSerde, topic, input.value);
        const partition = key !== null ? defaultPartition(key, partitions) : (roundRobin = (roundRobin + 1) % partitions);
        record = { topic, partition, key, value, timestamp: input.timestamp ?? Date.now(), headers: input.headers };
      } catch (e) {
        await send();
        const before = produced === 0 ? 'nothing was produced' : `the ${produced} record${produced === 1 ? '' : 's'} before it ${produced === 1 ? 'was' : 'were'} produced`;
        throw new CliError(`line ${n} of ${source}: ${(e as Error).message}. Fix the line (${before}).`);
      }
      batch.push(record);
      if (batch.length >= BATCH) await send();
    }
    await send();
    await producer.close();
    const where = [...perPartition].sort((a, b) => a[0] - b[0]).map(([p, c]) => `partition ${p}: ${c}`).join(', ');
    process.stdout.write(
      produced === 0
        ? `No records in ${source}: nothing produced to ${topic}.\n`
        : `Produced ${produced} record${produced === 1 ? '' : 's'} to ${topic} on ${describeTarget(target)} (${where}).\n`,
    );
    return 0;
  } finally {
    await cluster.close();
  }
}

function serialize(serde: Serde<unknown>, topic: string, value: unknown): Uint8Array | null {
  return value === null ? null : serde.serialize(topic, value);
}
