// The partition time committed with each input offset on the embedded log, as on Kafka
// (test-integration/partition-time.test.ts runs the same sequence on the broker): an application stopped, the log
// closed and opened again, the application started again — each partition goes on from the partition time it had
// reached, so the task's stream time does not go back to the first record read after the restart.
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamsBuilder, Serdes, Consumed, Produced, type ProcessorContext, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '../src/app/kafka-streams.ts';
import { EmbeddedLog } from '../src/embedded/embedded-log.ts';
import { embeddedClientFactory } from '../src/embedded/open-embedded-log.ts';
import { encodeTopicPartitionMetadata } from '../src/task/topic-partition-metadata.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

/** Timestamps near now, as on the broker (the log's retention runs on them). */
const BASE = Date.now() - 60_000;

/** Each record's value and the task's stream time when it was processed. */
function streamTimes(): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream('in', Consumed.with(s, s))
    .process<string, string>(() => {
      let ctx: ProcessorContext<string, string>;
      return {
        init(c) { ctx = c; },
        process(r) { ctx.forward({ ...r, value: `${r.value} at stream time ${ctx.currentStreamTimeMs() - BASE}` }); },
      };
    })
    .to('out', Produced.with(s, s));
  return b.build();
}

const at = (partition: number, value: string, time: number) => ({ topic: 'in', partition, key: enc(value), value: enc(value), timestamp: BASE + time, headers: [] });

/** Runs the application on the log until every input record is committed, then closes it cleanly. */
async function runUntilCommitted(t: ExecutionContext, log: EmbeddedLog, stateDir: string, name: string): Promise<void> {
  const app = new KafkaStreams(streamTimes(), { applicationId: 'times', stateDir, commitIntervalMs: 100 }, { clientFactory: embeddedClientFactory(log), log: (l) => t.log(`${name}: ${l}`) });
  t.teardown(() => app.close());
  await app.start();
  const inputs = [0, 1].map((partition) => ({ topic: 'in', partition }));
  const deadline = Date.now() + 60_000;
  while (!inputs.every((tp) => log.committed('times', tp) === log.endOffset(tp)) && Date.now() < deadline) await log.whenWritten(500);
  await app.close();
  t.is(app.error, undefined, String(app.error));
}

function readAll(log: EmbeddedLog, topic: string): string[] {
  const out: string[] = [];
  for (const partition of [0, 1]) {
    for (const r of log.read({ topic, partition }, log.startOffset({ topic, partition }), 10_000).records) out.push(dec(r.value)!);
  }
  return out.sort();
}

test('a restart on the embedded log resumes stream time from the partition time committed with the offsets', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'embedded-partition-time-'));
  const logDir = join(root, '.log');
  let log = await EmbeddedLog.open(logDir, { cleanerIntervalMs: 0 });
  t.teardown(async () => {
    await log.close();
    rmSync(root, { recursive: true, force: true });
  });
  log.createTopics([{ name: 'in', partitions: 2, configs: {} }, { name: 'out', partitions: 2, configs: {} }]);

  log.append([at(0, 'a', 1000), at(0, 'b', 5000), at(0, 'c', 3000), at(1, 'd', 2000)]);
  await runUntilCommitted(t, log, root, '1st');
  t.deepEqual(
    log.groupOffsetsOf('times').sort((a, b) => a.partition - b.partition),
    [
      { topic: 'in', partition: 0, offset: 3, metadata: encodeTopicPartitionMetadata(BASE + 5000) },
      { topic: 'in', partition: 1, offset: 1, metadata: encodeTopicPartitionMetadata(BASE + 2000) },
    ],
    "each partition's largest timestamp committed with its offset, in Kafka Streams' format",
  );

  // Closed and opened again, as a `streams run` stopped and started: what was committed is read back from disk.
  await log.close();
  log = await EmbeddedLog.open(logDir, { cleanerIntervalMs: 0 });
  // Records older than what each partition already saw: their tasks' stream time stays where it was.
  log.append([at(0, 'late', 4000), at(1, 'later', 1500)]);
  await runUntilCommitted(t, log, root, '2nd');
  t.deepEqual(readAll(log, 'out'), [
    'a at stream time 1000', 'b at stream time 5000', 'c at stream time 5000', 'd at stream time 2000',
    'late at stream time 5000', 'later at stream time 2000',
  ]);
});
