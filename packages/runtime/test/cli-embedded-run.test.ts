// The streams CLI on the embedded log (no --brokers, no broker): its bin in child processes, as a user runs it.
// The word-count fixture's story — produce, run --print, a second run refused naming the pid, topics through the
// running process, SIGTERM, topics, lag, run again (resumes: nothing counted twice), reset, run again (recounts),
// tail — and examples/page-views showing its counts, stopped with SIGINT.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { streams, startStreams, counts, printed, printsCounts, type RunningCli } from './cli-process.ts';

const WORD_COUNT = fileURLToPath(new URL('./fixtures/cli/word-count/topology.ts', import.meta.url));
const PAGE_VIEWS = fileURLToPath(new URL('../../../examples/page-views', import.meta.url));
const ENV = { CLI_TEST_INPUT: 'lines', CLI_TEST_OUTPUT: 'word-counts' };

async function stop(t: ExecutionContext, cli: RunningCli, signal: NodeJS.Signals, app: string): Promise<void> {
  cli.child.kill(signal);
  const { code, stderr } = await cli.exited;
  t.is(code, 0, `exit code after ${signal}; stderr: ${stderr}`);
  t.regex(stderr, new RegExp(`"msg":"${signal}: stopping`));
  t.regex(stderr, new RegExp(`"msg":"Stopped: application ${app} committed and closed cleanly\\."`));
}

async function produce(t: ExecutionContext, flags: readonly string[], lines: readonly string[], first: number): Promise<void> {
  const result = await streams(['produce', 'lines', ...flags], { input: lines.map((l, i) => `line-${first + i}\t${l}\n`).join('') });
  t.is(result.code, 0, result.stderr);
}

test.serial('embedded: produce, run --print, a second run refused, topics while it runs, SIGTERM, topics, lag, run again resumes, reset, recount, tail', async (t) => {
  t.timeout(8 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'streams-cli-embedded-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const flags = ['--state-dir', dir];
  const appFlags = [...flags, '--app-id', 'wc'];

  const first = ['the quick brown fox', 'jumps over the lazy dog', 'the end'];
  await produce(t, flags, first, 0);

  // A new application reads its input from the beginning (autoOffsetReset 'earliest', as Kafka Streams).
  const run1 = startStreams(['run', WORD_COUNT, ...appFlags, '--print', 'word-counts'], { env: ENV, timeoutMs: 5 * 60_000 });
  await printsCounts(run1, counts(first));
  t.regex(run1.stderr(), /single-process log on local disk .*--brokers host:port/);
  t.regex(run1.stderr(), /Created topic word-counts with 4 partitions on the embedded log/);

  // While it runs, the log is its: a second run is refused naming its pid; the other commands reach the log through
  // it (cli-embedded-socket.test.ts tries each).
  const second = await streams(['run', WORD_COUNT, ...appFlags], { env: ENV });
  t.is(second.code, 1, second.stderr);
  t.regex(second.stderr, new RegExp(`held by process ${run1.child.pid} .*another 'streams run' on this state directory\\. Stop process ${run1.child.pid}`));
  const topicsWhileRunning = await streams(['topics', ...flags]);
  t.is(topicsWhileRunning.code, 0, topicsWhileRunning.stderr);
  t.regex(topicsWhileRunning.stdout, /^word-counts\s+4\b/m);
  await stop(t, run1, 'SIGTERM', 'wc');

  const topics = await streams(['topics', ...flags]);
  t.is(topics.code, 0, topics.stderr);
  for (const name of ['lines', 'word-counts', 'wc-by-word-repartition', 'wc-word-counts-changelog']) t.regex(topics.stdout, new RegExp(`^${name}\\s+4\\b`, 'm'));

  const lag1 = await streams(['lag', WORD_COUNT, ...appFlags], { env: ENV });
  t.is(lag1.code, 0, lag1.stderr);
  t.regex(lag1.stdout.trim().split('\n').at(-1)!, /^Application wc: total lag 0/);

  const more = ['the fox again', 'a new dog'];
  await produce(t, flags, more, first.length);
  const lag2 = await streams(['lag', WORD_COUNT, ...appFlags], { env: ENV });
  t.is(lag2.code, 0, lag2.stderr);
  // End offsets of the input: every line produced (lag counts committed partitions only; 4 partitions, few lines).
  const ends = lag2.stdout.trim().split('\n').slice(1, -1).map((l) => l.split(/\s+/)).filter(([topic]) => topic === 'lines');
  t.is(ends.reduce((n, r) => n + Number(r[3]), 0), first.length + more.length);

  // Run again: it resumes from its committed position with its state — only the new lines' words change, by them
  // (also in the partitions the first run never committed, as none of its lines landed there: read from their start).
  const run2 = startStreams(['run', WORD_COUNT, ...appFlags, '--print', 'word-counts'], { env: ENV, timeoutMs: 5 * 60_000 });
  const all = counts([...first, ...more]);
  const changed = new Map([...all].filter(([w]) => counts(more).has(w)));
  await printsCounts(run2, changed);
  t.deepEqual([...printed(run2.stdout()).keys()].sort(), [...changed.keys()].sort(), 'only the words of the new lines were counted again');
  await stop(t, run2, 'SIGINT', 'wc');
  // The output topic from its start: the latest count of every word is its count over all lines, once — the first
  // run's lines were not counted again.
  const output = await streams(['tail', 'word-counts', ...flags, '--from-beginning', '--value-serde', 'long', '--timeout-ms', '3000']);
  t.is(output.code, 0, output.stderr);
  t.deepEqual(new Map([...printed(output.stdout)].sort()), new Map([...all].sort()), 'nothing counted twice');

  const reset = await streams(['reset', WORD_COUNT, ...appFlags, '--yes'], { env: ENV });
  t.is(reset.code, 0, reset.stderr);
  t.regex(reset.stdout, /its internal topics are deleted: wc-by-word-repartition, wc-word-counts-changelog/);
  t.false(existsSync(join(dir, 'wc')), 'the local state is gone');

  const run3 = startStreams(['run', WORD_COUNT, ...appFlags, '--print', 'word-counts'], { env: ENV, timeoutMs: 5 * 60_000 });
  await printsCounts(run3, all);
  await stop(t, run3, 'SIGTERM', 'wc');

  const tail = await streams(['tail', 'lines', ...flags, '--from-beginning', '--max', String(first.length + more.length), '--timeout-ms', '20000']);
  t.is(tail.code, 0, tail.stderr);
  const tailed = tail.stdout.trim().split('\n').map((l) => JSON.parse(l) as { value: string });
  t.deepEqual(tailed.map((r) => r.value).sort(), [...first, ...more].sort());
});

test.serial('embedded: streams run examples/page-views prints changing windowed counts, stops with exit 0 on SIGINT', async (t) => {
  t.timeout(4 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'streams-cli-page-views-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const run = startStreams(['run', PAGE_VIEWS, '--state-dir', dir], { timeoutMs: 3 * 60_000 });
  const started = Date.now();
  // Several records, and a page whose count went up: the counts change as the generator's clicks arrive.
  await run.waitFor('stdout', (out) => {
    const views = out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { key: string; value: { views: number } });
    return views.some((a, i) => views.slice(i + 1).some((b) => b.key === a.key && b.value.views > a.value.views));
  }, 90_000);
  t.log(`counts changing after ${Date.now() - started} ms`);
  t.regex(run.stderr(), /single-process log/);
  await stop(t, run, 'SIGINT', 'page-views');
});
