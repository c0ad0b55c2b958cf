// Where `streams run` starts reading, told as one story that runs on the embedded log (test/cli-start-position.test.ts)
// and on Kafka (test-integration/cli-start-position.test.ts), with the word-count fixture and the CLI's bin:
// a new application reads its input from the beginning; stopped and run again it resumes from its committed
// positions — also on a partition it never committed on (no record had landed there), which it reads from its start,
// so the records produced there while it was stopped are counted, once; `run --from-beginning` resets it first and
// recounts from scratch, not over its old counts.
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { defaultPartition } from '../src/io/murmur2.ts';
import { streams, startStreams, counts, printed, printsCounts, type RunningCli } from './cli-process.ts';

const WORD_COUNT = fileURLToPath(new URL('./fixtures/cli/word-count/topology.ts', import.meta.url));

export interface StartPositionTarget {
  readonly input: string;
  readonly output: string;
  /** The input's partition count (the embedded log creates a topic with 4). */
  readonly partitions: number;
  readonly app: string;
  /** --state-dir, and --brokers on Kafka. */
  readonly flags: readonly string[];
}

/** A key of the form `${prefix}-N` that Kafka's default partitioner puts in `partition`. */
function keyIn(prefix: string, partition: number, partitions: number): string {
  for (let n = 0; ; n++) {
    const key = `${prefix}-${n}`;
    if (defaultPartition(Buffer.from(key), partitions) === partition) return key;
  }
}

export async function startPositionStory(t: ExecutionContext, target: StartPositionTarget): Promise<void> {
  const env = { CLI_TEST_INPUT: target.input, CLI_TEST_OUTPUT: target.output };
  const appFlags = [...target.flags, '--app-id', target.app];
  const produce = async (lines: readonly (readonly [partition: number, line: string])[], batch: string) => {
    const input = lines.map(([p, line], i) => `${keyIn(`${batch}${i}`, p, target.partitions)}\t${line}\n`).join('');
    const result = await streams(['produce', target.input, ...target.flags], { input });
    t.is(result.code, 0, result.stderr);
  };
  const run = (extra: readonly string[] = []) =>
    startStreams(['run', WORD_COUNT, ...appFlags, '--print', target.output, ...extra], { env, timeoutMs: 5 * 60_000 });
  const stop = async (cli: RunningCli) => {
    cli.child.kill('SIGTERM');
    const { code, stderr } = await cli.exited;
    t.is(code, 0, stderr);
    t.regex(stderr, new RegExp(`"msg":"Stopped: application ${target.app} committed and closed cleanly\\."`));
  };
  /** The latest count of each word in the output topic, read from its start. */
  const outputCounts = async () => {
    const tail = await streams(['tail', target.output, ...target.flags, '--from-beginning', '--value-serde', 'long', '--timeout-ms', '3000']);
    t.is(tail.code, 0, tail.stderr);
    return new Map([...printed(tail.stdout)].sort());
  };

  // 1. Lines in partition 0 only; a new application counts them (no flag needed: it reads from the beginning).
  const first: [number, string][] = [[0, 'the quick brown fox'], [0, 'jumps over the lazy dog']];
  await produce(first, 'a');
  const run1 = run();
  await printsCounts(run1, counts(first.map(([, l]) => l)));
  await stop(run1);

  // It committed on partition 0 only: the others got no record, so no commit.
  const lag = await streams(['lag', WORD_COUNT, ...appFlags], { env });
  t.is(lag.code, 0, lag.stderr);
  const rows = lag.stdout.trim().split('\n').slice(1, -1).map((l) => l.split(/\s+/)).filter(([topic]) => topic === target.input);
  t.deepEqual(rows.map((r) => [r[1], r[2]]), Array.from({ length: target.partitions }, (_, p) => [String(p), p === 0 ? '2' : '-']), lag.stdout);

  // 2. While it is stopped, lines in every partition — most where it never committed.
  const second: [number, string][] = Array.from({ length: target.partitions }, (_, p) => [p, `the fox in partition ${p}`]);
  await produce(second, 'b');
  const run2 = run();
  const all = counts([...first, ...second].map(([, l]) => l));
  const changed = new Map([...all].filter(([w]) => counts(second.map(([, l]) => l)).has(w)));
  await printsCounts(run2, changed);
  t.deepEqual([...printed(run2.stdout()).keys()].sort(), [...changed.keys()].sort(), 'only the new lines were counted');
  await stop(run2);
  t.deepEqual(await outputCounts(), new Map([...all].sort()), 'every line counted once: none lost, none twice');

  // 3. --from-beginning: a reset, then a run from the start — the counts come out the same, not doubled.
  const run3 = run(['--from-beginning']);
  await printsCounts(run3, all);
  t.regex(run3.stderr(), new RegExp(`--from-beginning: resetting application ${target.app} first, as 'streams reset' does: its committed offsets on ${target.input} go back to the beginning`));
  t.deepEqual(new Map([...printed(run3.stdout())].sort()), new Map([...all].sort()), 'recounted from scratch');
  await stop(run3);
  t.deepEqual(await outputCounts(), new Map([...all].sort()));
}
