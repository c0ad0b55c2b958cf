// KafkaStreams on the embedded log, no broker: the same runtime through the client seam, exactly-once by
// construction. A groupBy through a repartition topic counted exactly; a clean stop and restart that resumes from
// the committed offsets and the checkpoint; a processor failure mid-run (its transaction aborted, the stores rebuilt)
// and a restart that counts every record exactly once; a second instance of an application refused.
import test, { type ExecutionContext } from 'ava';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamsBuilder, Serdes, Consumed, Grouped, Materialized, Produced, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '../src/app/kafka-streams.ts';
import { EmbeddedLog } from '../src/embedded/embedded-log.ts';
import { embeddedClientFactory } from '../src/embedded/open-embedded-log.ts';

const PARTITIONS = 4;
const enc = (s: string) => new TextEncoder().encode(s);

/** words → groupBy(word) → count → out, through `<app>-by-word-repartition`; `fail(word, n)` may throw mid-run. */
function wordCounts(fail?: (n: number) => boolean): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  let seen = 0;
  b.stream('words', Consumed.with(s, s))
    .peek(() => {
      if (fail?.(++seen)) throw new Error(`failing on purpose at record ${seen}`);
    })
    .groupBy((_line, word) => word, Grouped.with(s, s, 'by-word'))
    .count(Materialized.as('word-counts'))
    .toStream()
    .to('counts', Produced.with(s, Serdes.Long()));
  return b.build();
}

interface Setup {
  readonly log: EmbeddedLog;
  readonly stateDir: string;
  readonly config: { readonly applicationId: string; readonly stateDir: string };
}

async function setup(t: ExecutionContext): Promise<Setup> {
  const root = mkdtempSync(join(tmpdir(), 'embedded-streams-'));
  const log = await EmbeddedLog.open(join(root, '.log'));
  t.teardown(async () => {
    await log.close();
    rmSync(root, { recursive: true, force: true });
  });
  log.createTopics([{ name: 'words', partitions: PARTITIONS, configs: {} }, { name: 'counts', partitions: PARTITIONS, configs: {} }]);
  return { log, stateDir: root, config: { applicationId: 'wc', stateDir: root } };
}

function produce(log: EmbeddedLog, words: readonly string[], firstLine = 0): void {
  for (let i = 0; i < words.length; i += 500) {
    log.append(words.slice(i, i + 500).map((w, j) => ({ topic: 'words', key: enc(`line-${firstLine + i + j}`), value: enc(w), timestamp: 1_700_000_000_000 + i + j, headers: [] })));
  }
}

/** The latest count of each word in `counts`, and how many count records there are. */
function readCounts(log: EmbeddedLog): { latest: Map<string, number>; records: number } {
  const latest = new Map<string, number>();
  let records = 0;
  for (let p = 0; p < PARTITIONS; p++) {
    let from = log.startOffset({ topic: 'counts', partition: p });
    for (;;) {
      const r = log.read({ topic: 'counts', partition: p }, from, 1_000);
      for (const x of r.records) {
        latest.set(new TextDecoder().decode(x.key!), Number(Buffer.from(x.value!).readBigInt64BE()));
        records++;
      }
      if (r.lag === 0) break;
      from = r.nextOffset;
    }
  }
  return { latest, records };
}

/** Waits until the latest counts equal `expected` (the output is committed every 100 ms), or 60 s. */
async function countsReach(log: EmbeddedLog, expected: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { latest } = readCounts(log);
    if ((latest.size === expected.size && [...expected].every(([k, v]) => latest.get(k) === v)) || Date.now() > deadline) return sorted(latest);
    await log.whenWritten(500);
  }
}

function sorted<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function countsOf(words: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of words) m.set(w, (m.get(w) ?? 0) + 1);
  return sorted(m);
}

function wordsFor(n: number, seed: number): string[] {
  return Array.from({ length: n }, (_, i) => `w${(i * 7919 + seed) % 37}`);
}

function processed(app: KafkaStreams, subtopology: string): number {
  return Object.entries(app.metrics().tasks).filter(([id]) => id.startsWith(subtopology)).reduce((n, [, x]) => n + x.processed, 0);
}

test('a groupBy through a repartition topic counts every word exactly, over 4 partitions, committing every 100 ms', async (t) => {
  const s = await setup(t);
  const words = wordsFor(3_000, 1);
  produce(s.log, words);
  const lines: string[] = [];
  const app = new KafkaStreams(wordCounts(), s.config, { clientFactory: embeddedClientFactory(s.log), log: (l) => lines.push(l) });
  const states: string[] = [];
  app.state$.subscribe((x) => states.push(x));
  t.teardown(() => app.close());
  await app.start();
  t.is(app.state, 'RUNNING');
  const expected = countsOf(words);
  t.deepEqual(await countsReach(s.log, expected), expected);
  t.true(lines.includes('Processing exactly-once: each commit (every 100 ms) writes the outputs, changelog records and input offsets together, in one atomic write.'), lines.join('\n'));
  // The internal topics, as Kafka Streams names, sizes and configures them.
  t.deepEqual(s.log.describeTopic('wc-by-word-repartition'), { name: 'wc-by-word-repartition', partitions: 4, configs: { 'message.timestamp.type': 'CreateTime', 'cleanup.policy': 'delete', 'segment.bytes': '52428800', 'retention.ms': '-1' } });
  t.deepEqual(s.log.describeTopic('wc-word-counts-changelog')?.configs, { 'message.timestamp.type': 'CreateTime', 'cleanup.policy': 'compact' });
  t.is(Object.keys(app.metrics().tasks).sort().join(','), '0_0,0_1,0_2,0_3,1_0,1_1,1_2,1_3');
  t.is(processed(app, '0_'), words.length, 'every input record processed once');
  t.is(processed(app, '1_'), words.length, 'every repartitioned record processed once');
  await app.close();
  t.is(app.state, 'NOT_RUNNING');
  t.deepEqual(states, ['CREATED', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
  for (let p = 0; p < PARTITIONS; p++) {
    t.is(s.log.committed('wc', { topic: 'words', partition: p }), s.log.endOffset({ topic: 'words', partition: p }));
    t.is(s.log.committed('wc', { topic: 'wc-by-word-repartition', partition: p }), s.log.endOffset({ topic: 'wc-by-word-repartition', partition: p }));
  }
});

test('a clean stop and a restart resume from the committed offsets and the checkpoint: nothing restored, nothing counted twice', async (t) => {
  const s = await setup(t);
  const first = wordsFor(1_000, 2);
  const second = wordsFor(1_000, 3);
  produce(s.log, first);
  const app = new KafkaStreams(wordCounts(), s.config, { clientFactory: embeddedClientFactory(s.log), log: (l) => t.log(`1st: ${l}`) });
  t.teardown(() => app.close());
  await app.start();
  // Exactly-once: while the task runs, its checkpoint is gone (a crash would rebuild its store from the changelog).
  for (let p = 0; p < PARTITIONS; p++) t.false(existsSync(join(s.stateDir, 'wc', `1_${p}`, '.checkpoint')), `task 1_${p} has no checkpoint while running`);
  t.deepEqual(await countsReach(s.log, countsOf(first)), countsOf(first));
  await app.close();
  for (let p = 0; p < PARTITIONS; p++) t.true(existsSync(join(s.stateDir, 'wc', `1_${p}`, '.checkpoint')), `task 1_${p} checkpointed on its clean close`);

  const again = new KafkaStreams(wordCounts(), s.config, { clientFactory: embeddedClientFactory(s.log), log: (l) => t.log(`2nd: ${l}`) });
  t.teardown(() => again.close());
  await again.start();
  const restored = again.metrics().restored;
  t.is(restored.reduce((n, r) => n + r.records, 0), 0, `restored ${JSON.stringify(restored)}`);
  produce(s.log, second, first.length);
  const expected = countsOf([...first, ...second]);
  t.deepEqual(await countsReach(s.log, expected), expected);
  t.is(processed(again, '0_'), second.length, 'the second run processed only the second batch');
  await again.close();
});

test('a processor that fails mid-run: its open transaction is aborted, and a restart rebuilds the stores and counts every record exactly once', async (t) => {
  const s = await setup(t);
  const first = wordsFor(2_000, 4);
  const second = wordsFor(2_000, 6);
  // Fails at the 3,000th input record: the first 2,000 are committed by then (waited for below), the records
  // processed since the last commit are not.
  const failing = new KafkaStreams(wordCounts((n) => n === 3_000), { ...s.config, maxPollRecords: 100 }, { clientFactory: embeddedClientFactory(s.log), log: (l) => t.log(`failing: ${l}`) });
  t.teardown(() => failing.close());
  await failing.start();
  produce(s.log, first);
  t.deepEqual(await countsReach(s.log, countsOf(first)), countsOf(first));
  produce(s.log, second, first.length);
  const deadline = Date.now() + 60_000;
  while (failing.state !== 'ERROR' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.is(failing.state, 'ERROR');
  t.regex(String((failing.error as Error)?.message), /failing on purpose at record 3000/);
  const committedBefore = [0, 1, 2, 3].reduce((n, p) => n + (s.log.committed('wc', { topic: 'words', partition: p }) ?? 0), 0);
  t.true(committedBefore >= first.length && committedBefore < first.length + second.length, `committed ${committedBefore} input records before the failure, not the failing one`);
  // What is readable is exactly what the commits produced: no count of an uncommitted record.
  const { latest } = readCounts(s.log);
  const total = [...latest.values()].reduce((n, c) => n + c, 0);
  t.true(total <= committedBefore, `the counts cover ${total} records, at most the ${committedBefore} committed`);

  const again = new KafkaStreams(wordCounts(), s.config, { clientFactory: embeddedClientFactory(s.log), log: (l) => t.log(`again: ${l}`) });
  t.teardown(() => again.close());
  await again.start();
  // The stores may hold writes of the aborted transaction and had no checkpoint: wiped and restored from the changelog.
  const restored = again.metrics().restored.reduce((n, r) => n + r.records, 0);
  t.true(restored > 0, 'the stores were rebuilt from their changelogs');
  const expected = countsOf([...first, ...second]);
  t.deepEqual(await countsReach(s.log, expected), expected);
  await again.close();
});

test('a second instance of an application on the same log in this process is refused, and the first goes on', async (t) => {
  const s = await setup(t);
  const app = new KafkaStreams(wordCounts(), s.config, { clientFactory: embeddedClientFactory(s.log), log: () => undefined });
  t.teardown(() => app.close());
  await app.start();
  const other = new KafkaStreams(wordCounts(), { ...s.config, stateDir: join(s.stateDir, 'other') }, { clientFactory: embeddedClientFactory(s.log), log: () => undefined });
  const e = await t.throwsAsync(other.start());
  t.regex(e!.message, /Transactional id 'wc' is held by a running producer on this embedded log: an application runs as one instance on it/);
  t.is(other.state, 'ERROR');
  // The first goes on undisturbed.
  const words = wordsFor(500, 5);
  produce(s.log, words);
  const expected = countsOf(words);
  t.deepEqual(await countsReach(s.log, expected), expected);
  t.is(app.state, 'RUNNING');
  await app.close();
  t.is(app.error, undefined);
});
