// An aggregation that emits on window close, stopped and started again on the embedded log (as on Kafka:
// test-integration/emit-final-restart.test.ts): the window close time of its last emit is committed with the input
// offsets, in the task's processor metadata as Kafka Streams commits it (under the store's name), and read back when
// the application starts again — so the finals emitted across both runs are those one uninterrupted run emits. Without
// it the second run starts from "nothing emitted yet" and emits again every closed window its store still holds.
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, TimeWindows, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '../src/app/kafka-streams.ts';
import { EmbeddedLog } from '../src/embedded/embedded-log.ts';
import { embeddedClientFactory } from '../src/embedded/open-embedded-log.ts';
import { readTopicPartitionMetadata } from '../src/task/topic-partition-metadata.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

/** Timestamps near now (the log's retention runs on them), from a whole minute (the window store's segments). */
const BASE = Math.floor((Date.now() - 120_000) / 60_000) * 60_000;

/** A count per key in tumbling windows of 10 s, no grace, emitted once each window closes: "key@start=count". */
function finalCounts(): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream('in', Consumed.with(s, s))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10_000))
    .emitStrategy('on-window-close')
    .count(Materialized.as('counts'))
    .toStream()
    .map((w, n) => ({ key: w.key, value: `${w.key}@${w.window.start - BASE}=${n}` }))
    .to('out', Produced.with(s, s));
  return b.build();
}

const at = (key: string, time: number) => ({ topic: 'in', partition: 0, key: enc(key), value: enc(key), timestamp: BASE + time, headers: [] });

/** Runs the application on the log until every input record is committed, then closes it cleanly. */
async function runUntilCommitted(t: ExecutionContext, log: EmbeddedLog, stateDir: string, name: string): Promise<void> {
  // emitIntervalMs 0: closed windows are looked for on every record (1000 ms of wall clock otherwise, as Kafka Streams).
  const config = { applicationId: 'final-counts', stateDir, commitIntervalMs: 100, emitIntervalMs: { onWindowClose: 0 } };
  const app = new KafkaStreams(finalCounts(), config, { clientFactory: embeddedClientFactory(log), log: (l) => t.log(`${name}: ${l}`) });
  t.teardown(() => app.close());
  await app.start();
  const input = { topic: 'in', partition: 0 };
  const deadline = Date.now() + 60_000;
  while (log.committed('final-counts', input) !== log.endOffset(input) && Date.now() < deadline) await log.whenWritten(500);
  await app.close();
  t.is(app.error, undefined, String(app.error));
}

const out = (log: EmbeddedLog) => log.read({ topic: 'out', partition: 0 }, log.startOffset({ topic: 'out', partition: 0 }), 10_000).records.map((r) => dec(r.value)!);

/** A fresh log with the topics, in its own directory; returns it, its directory and the state directory. */
async function freshLog(t: ExecutionContext): Promise<{ log: () => EmbeddedLog; reopen: () => Promise<void>; root: string }> {
  const root = mkdtempSync(join(tmpdir(), 'embedded-emit-final-'));
  const logDir = join(root, '.log');
  let log = await EmbeddedLog.open(logDir, { cleanerIntervalMs: 0 });
  t.teardown(async () => {
    await log.close();
    rmSync(root, { recursive: true, force: true });
  });
  log.createTopics([{ name: 'in', partitions: 1, configs: {} }, { name: 'out', partitions: 1, configs: {} }]);
  return {
    log: () => log,
    reopen: async () => {
      await log.close();
      log = await EmbeddedLog.open(logDir, { cleanerIntervalMs: 0 });
    },
    root,
  };
}

// a and b in [0 s, 10 s); a at 12 s closes it; a at 15 s; b at 25 s closes [10 s, 20 s).
const FIRST = [at('a', 1000), at('b', 2000), at('a', 12_000), at('a', 15_000)];
const SECOND = [at('b', 25_000)];

test('an emit-on-window-close count stopped and started again emits each closed window once, as one uninterrupted run', async (t) => {
  const once = await freshLog(t);
  once.log().append([...FIRST, ...SECOND]);
  await runUntilCommitted(t, once.log(), once.root, 'once');
  const uninterrupted = out(once.log());
  t.deepEqual(uninterrupted, ['a@0=1', 'b@0=1', 'a@10000=2']);

  const split = await freshLog(t);
  split.log().append(FIRST);
  await runUntilCommitted(t, split.log(), split.root, '1st');
  t.deepEqual(out(split.log()), ['a@0=1', 'b@0=1']);
  // The last emit's window close time (a at 12 s, no grace), committed with the offset under the store's name.
  const [committed] = split.log().groupOffsetsOf('final-counts');
  const metadata = readTopicPartitionMetadata(committed!.metadata);
  t.deepEqual([metadata.partitionTime, [...metadata.processorMetadata]], [BASE + 15_000, [['counts', BASE + 12_000]]]);

  // Closed and opened again, as a `streams run` stopped and started.
  await split.reopen();
  split.log().append(SECOND);
  await runUntilCommitted(t, split.log(), split.root, '2nd');
  t.deepEqual(out(split.log()), uninterrupted, '[0 s, 10 s) is not emitted again after the restart');
});
