/**
 * `npm run bench -- produce [--records N --runs N --value-bytes N --keys N --no-write]`: the runtime's produce path
 * (the kafkajs adapter's KafkaProducer: record batches of our own on kafkajs's connections; and the kafkats adapter's)
 * beside stock kafkajs 2.2.4's producer, on the same broker (KAFKA_BROKERS; without it bench.ts runs this under
 * scripts/kafka/with-broker.ts), in the same run: `--records` records (default 1,000,000; keys `String(i % keys)`,
 * `--value-bytes` 100-byte values) into a fresh 4-partition topic per run, murmur2-partitioned, 1,000 per send and 8
 * sends in flight for both; `--runs` runs of each (default 3), interleaved, each in a process of its own
 * (produce-bench-run.ts) so that its CPU seconds are its own. After each run the topic must hold exactly the records
 * sent (a run that lost or duplicated records has no figure). The ratios are each adapter's / stock kafkajs's medians.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { PARTITIONS, createTopic } from './bench-topics.ts';
import type { ProduceClient, ProduceRunResult, ProduceRunSpec } from './produce-bench-run.ts';
import { fmt, log, median } from './bench-format.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const RUN_FILE = join(HERE, 'produce-bench-run.ts');
const RESULTS_DIR = resolve(HERE, '..', 'results');
const CLIENTS: readonly ProduceClient[] = ['kafkajs', 'ts-streams', 'ts-streams-kafkats'];

export interface ProduceBenchOptions {
  readonly records: number;
  readonly runs: number;
  readonly keys: number;
  readonly valueBytes: number;
  readonly write: boolean;
}

interface MeasuredRun extends ProduceRunResult {
  readonly round: number;
  readonly load1m: number;
  readonly recordsPerSec: number;
  readonly cpuSecPerM: number;
}

export interface ProduceBenchRow {
  readonly client: ProduceClient;
  readonly runs: number;
  readonly recordsPerSec: { readonly median: number; readonly min: number; readonly max: number };
  readonly cpuSecPerM: { readonly median: number; readonly min: number; readonly max: number };
  readonly peakRssMiB: number;
}


export function parseOptions(argv: readonly string[]): ProduceBenchOptions {
  const known = new Set(['--records', '--runs', '--keys', '--value-bytes', '--no-write']);
  for (const a of argv) if (a.startsWith('--') && !known.has(a)) throw new Error(`Unknown option '${a}' for the produce bench: use ${[...known].join(', ')}.`);
  const count = (name: string, fallback: number, min: number) => {
    const i = argv.indexOf(name);
    if (i < 0) return fallback;
    const v = argv[i + 1] ?? '';
    const n = Number(v.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got '${v}'.`);
    return n;
  };
  return {
    records: count('--records', 1_000_000, 1),
    runs: count('--runs', 3, 1),
    keys: count('--keys', 10_000, 1),
    valueBytes: count('--value-bytes', 100, 0),
    write: !argv.includes('--no-write'),
  };
}

function runChild(spec: ProduceRunSpec): Promise<ProduceRunResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [...process.execArgv, RUN_FILE, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => (out += s));
    child.on('error', rej);
    child.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || line === undefined) return rej(new Error(`${spec.client}: the run's process exited with ${code ?? signal}${line === undefined ? ' and printed no result' : ''}.${out.trim() ? `\n${out.trim()}` : ''}`));
      res(JSON.parse(line.slice('RESULT '.length)) as ProduceRunResult);
    });
  });
}

export async function run(o: ProduceBenchOptions): Promise<ProduceBenchRow[]> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers.length === 0) throw new Error("The produce bench needs a broker: set KAFKA_BROKERS=127.0.0.1:PORT ('npm run kafka -- start' prints it), or run it as 'npm run bench -- produce'.");
  const kafka = new Kafka({ clientId: 'ts-streams-produce-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const id = randomUUID().slice(0, 8);
  const load0 = loadavg()[0]!;
  log(`produce bench: ${fmt(o.records)} records × ${o.valueBytes} B, ${PARTITIONS} partitions, ${fmt(o.keys)} keys; ${o.runs} run(s) of ${CLIENTS.join(' and ')}; broker ${brokers.join(',')}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const runs: MeasuredRun[] = [];
  try {
    for (let round = 1; round <= o.runs; round++) {
      for (const client of CLIENTS) {
        const topic = `bench-produce-${id}-${client}-${round}`;
        await createTopic(admin, topic);
        try {
          const load1m = loadavg()[0]!;
          const r = await runChild({ client, brokers, topic, partitions: PARTITIONS, records: o.records, keys: o.keys, valueBytes: o.valueBytes });
          const written = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
          if (written !== o.records) throw new Error(`${client} (${topic}): the topic holds ${written} records, not ${o.records}. This run has no figure.`);
          const m: MeasuredRun = { ...r, round, load1m, recordsPerSec: o.records / (r.produceMs / 1000), cpuSecPerM: r.cpuSeconds / (o.records / 1e6) };
          runs.push(m);
          log(`  run ${round} ${client}: ${fmt(m.recordsPerSec)} records/s (${(r.produceMs / 1000).toFixed(2)} s, CPU ${r.cpuSeconds.toFixed(2)} s = ${m.cpuSecPerM.toFixed(2)} s per M), peak RSS ${fmt(r.maxRssBytes / 2 ** 20)} MiB, load ${load1m.toFixed(2)}`);
        } finally {
          await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
        }
      }
    }
  } finally {
    await admin.disconnect();
  }
  const rows = CLIENTS.map((client): ProduceBenchRow => {
    const rs = runs.filter((r) => r.client === client);
    const spread = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
    return { client, runs: rs.length, recordsPerSec: spread(rs.map((r) => r.recordsPerSec)), cpuSecPerM: spread(rs.map((r) => r.cpuSecPerM)), peakRssMiB: median(rs.map((r) => r.maxRssBytes)) / 2 ** 20 };
  });
  const load1 = loadavg()[0]!;
  const [stock, ours, kafkats] = rows as [ProduceBenchRow, ProduceBenchRow, ProduceBenchRow];
  const ratio = ours.recordsPerSec.median / stock.recordsPerSec.median;
  const cpuRatio = stock.cpuSecPerM.median / ours.cpuSecPerM.median;
  const kafkatsRatio = kafkats.recordsPerSec.median / stock.recordsPerSec.median;
  const kafkatsCpuRatio = stock.cpuSecPerM.median / kafkats.cpuSecPerM.median;
  const label = (c: ProduceClient) =>
    c === 'kafkajs' ? 'kafkajs 2.2.4 producer (stock)' : c === 'ts-streams' ? 'ts-streams kafkajs adapter (own record batches)' : 'ts-streams kafkats adapter (its own record batches)';
  console.log([
    `${fmt(o.records)} records × ${o.valueBytes} B over ${PARTITIONS} partitions (${fmt(o.keys)} integer-string keys, murmur2), 1,000 per send, 8 sends in flight, idempotent, acks=all;`,
    `median of ${o.runs} run(s) of each, interleaved, each in a process of its own; 1-minute load average ${load0.toFixed(2)} at the start, ${load1.toFixed(2)} at the end.`,
    'Measured: the first send → every record acknowledged. CPU: user + system of the producing process.',
    '',
    '| producer | records/s | min–max | CPU s / M records | min–max | peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${label(r.client)} | ${fmt(r.recordsPerSec.median)} | ${fmt(r.recordsPerSec.min)}–${fmt(r.recordsPerSec.max)} | ${r.cpuSecPerM.median.toFixed(2)} | ${r.cpuSecPerM.min.toFixed(2)}–${r.cpuSecPerM.max.toFixed(2)} | ${fmt(r.peakRssMiB)} |`),
    '',
    `ts-streams kafkajs adapter / stock kafkajs: ${ratio.toFixed(2)}× the records/s, ${cpuRatio.toFixed(2)}× less CPU per record.`,
    `ts-streams kafkats adapter / stock kafkajs: ${kafkatsRatio.toFixed(2)}× the records/s, ${kafkatsCpuRatio.toFixed(2)}× less CPU per record.`,
  ].join('\n'));
  if (o.write) {
    const date = new Date().toISOString();
    const file = join(RESULTS_DIR, `${date.slice(0, 10)}-produce.json`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(file, `${JSON.stringify({
      benchmark: 'produce', date,
      machine: { nproc: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` },
      options: { records: o.records, runs: o.runs, keys: o.keys, valueBytes: o.valueBytes, partitions: PARTITIONS },
      loadavg1m: { start: load0, end: load1 }, ratio, cpuRatio, kafkatsRatio, kafkatsCpuRatio, rows, runs,
    }, null, 2)}\n`);
    log(`wrote ${file}`);
  }
  return rows;
}
