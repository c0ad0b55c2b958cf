/**
 * One measured run of one Kafka benchmark workload on the Node side, in a process of its own (kafka-bench.ts and
 * kafka-streams-bench.ts spawn it), so that the CPU seconds and the peak RSS it reports are the workload's alone:
 *
 *   node --conditions=@ts-streams/source --import tsx benchmarks/src/kafka-bench-run.ts '<RunSpec as JSON>'
 *
 * It prints one line `RESULT <RunResult as JSON>` on stdout. W0, W0P and W0CP are the raw client of spec.client
 * (raw-client.ts); W1–W8 run the workload's topology on KafkaStreams with that client adapter (streams-run.ts), or with
 * spec.embedded on the embedded log, its input loaded first (embedded-run.ts). The measured phase
 * starts when the member has its partitions (KafkaStreams#start() resolved, i.e. RUNNING) and ends when every input
 * record went through (the tasks' `processed` metrics, read every 5 ms). Then the app closes (its final commit:
 * caches flushed, outputs acknowledged, offsets committed), timed apart.
 *
 * With `--serve` it does many runs, one after another in this process (the suite's smoke run, run-worker.ts): a
 * RunSpec per line of stdin, each answered by its `RESULT` line or a `FAILED reason` line, until stdin ends.
 */
import { createInterface } from 'node:readline';
import { runEmbedded } from './embedded-run.ts';
import { workload } from './kafka-workloads.ts';
import { rawClient } from './raw-client.ts';
import { runStreams } from './streams-run.ts';
import { RunPhase } from './run-phase.ts';
import type { RunResult } from './run-result.ts';
import type { RunSpec } from './run-spec.ts';

function run(spec: RunSpec, phase: RunPhase): Promise<RunResult> {
  const w = workload(spec.workload);
  if (spec.embedded !== undefined) return runEmbedded(spec, spec.embedded, phase);
  if (w.raw === undefined) return runStreams(spec, phase);
  const client = rawClient(spec.client ?? 'kafkajs');
  return w.raw === 'consume' ? client.consume(spec, phase) : w.raw === 'produce' ? client.produce(spec, phase) : client.consumeProduce(spec, phase);
}

/** `--serve`: a RunSpec per line of stdin, each answered on stdout, until stdin ends. */
async function serve(): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    try {
      const result = await run(JSON.parse(line) as RunSpec, new RunPhase(undefined));
      console.log(`RESULT ${JSON.stringify(result)}`);
    } catch (e) {
      console.log(`FAILED ${String((e as Error).message).replaceAll(/[\r\n]+/g, ' ')}`);
    }
  }
}

if (process.argv[2] === '--serve') {
  await serve();
} else {
  const spec = JSON.parse(process.argv[2] ?? '') as RunSpec;
  let result: RunResult;
  try {
    result = await run(spec, new RunPhase(spec.profile));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  console.log(`RESULT ${JSON.stringify(result)}`);
}
// kafkajs may keep a timer or a socket alive a moment after disconnect: the parent waits on this process's exit.
process.exit(0);
