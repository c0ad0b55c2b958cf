// The other streams commands while `streams run` holds the embedded log (its bin in child processes, no broker):
// they reach the log through the socket the run serves in the state directory — produce into the app's input, tail
// of its output following the app's results, topics, lag, a reset of another application — a second run is refused
// naming the pid; once the run stops, and once a run is killed, the commands open the log themselves; a run is
// refused by a tail that holds the log itself, told to stop it first.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { streams, startStreams, counts, printed, printsCounts, type CliResult, type RunningCli } from './cli-process.ts';

const WORD_COUNT = fileURLToPath(new URL('./fixtures/cli/word-count/topology.ts', import.meta.url));
const ENV = { CLI_TEST_INPUT: 'lines', CLI_TEST_OUTPUT: 'word-counts' };

async function ok(t: ExecutionContext, args: readonly string[], input?: string): Promise<CliResult> {
  const result = await streams(args, { env: ENV, ...(input === undefined ? {} : { input }) });
  t.is(result.code, 0, `streams ${args.join(' ')}: ${result.stderr}`);
  return result;
}

const lineInput = (lines: readonly string[], first: number) => lines.map((l, i) => `line-${first + i}\t${l}\n`).join('');

/** The topics listing's end offsets of a topic, summed. */
function endTotal(topicsOut: string, topic: string): number | undefined {
  const row = topicsOut.split('\n').find((l) => l.startsWith(`${topic} `));
  return row === undefined ? undefined : row.split(/\s+/).slice(2).filter((x) => /^\d+$/.test(x)).slice(0, 4).reduce((n, x) => n + Number(x), 0);
}

/** `streams lag` until the application's total lag is 0 (its commits reach the log every 200 ms). */
async function lagReachesZero(t: ExecutionContext, args: readonly string[]): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const lag = await ok(t, args);
    const last = lag.stdout.trim().split('\n').at(-1)!;
    if (/^Application wc: total lag 0\b/.test(last) || Date.now() > deadline) return last;
  }
}

async function stopped(t: ExecutionContext, cli: RunningCli): Promise<void> {
  cli.child.kill('SIGTERM');
  const { code, stderr } = await cli.exited;
  t.is(code, 0, stderr);
}

test('embedded: while streams run holds the log, produce, tail, topics, lag and reset reach it through its socket; a second run is refused naming the pid; stopped or killed, the commands open the log themselves; a tail holding the log refuses a run', async (t) => {
  t.timeout(6 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'streams-cli-socket-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const flags = ['--state-dir', dir];
  const appFlags = [...flags, '--app-id', 'wc'];
  const socket = join(dir, '.log', 'embedded.sock');

  const run = startStreams(['run', WORD_COUNT, ...appFlags, '--from-beginning', '--print', 'word-counts'], { env: ENV, timeoutMs: 5 * 60_000 });
  t.teardown(() => void run.child.kill('SIGKILL'));
  await run.waitFor('stderr', /"msg":"Serving the embedded log to the other streams commands .* on [^"]*embedded\.sock while this run holds it\."/);
  await run.waitFor('stderr', /"msg":"Running tasks /);
  t.true(existsSync(socket));

  // A tail following the app's output from its start, through the run's socket.
  const tail = startStreams(['tail', 'word-counts', ...flags, '--topology', WORD_COUNT, '--from-beginning'], { env: ENV, timeoutMs: 5 * 60_000 });
  t.teardown(() => void tail.child.kill('SIGKILL'));

  const first = ['the quick brown fox', 'jumps over the lazy dog', 'the end'];
  const produced = await ok(t, ['produce', 'lines', ...flags], lineInput(first, 0));
  t.regex(produced.stdout, /^Produced 3 records to lines on the embedded log/);
  await printsCounts(run, counts(first));
  await tail.waitFor('stdout', (out) => [...counts(first)].every(([w, n]) => printed(out).get(w) === n), 60_000);

  const more = ['the fox again', 'a new dog'];
  await ok(t, ['produce', 'lines', ...flags], lineInput(more, first.length));
  const all = counts([...first, ...more]);
  await printsCounts(run, all);
  await tail.waitFor('stdout', (out) => [...all].every(([w, n]) => printed(out).get(w) === n), 60_000);
  const tailed = tail.stdout().trim().split('\n').map((l) => JSON.parse(l) as { topic: string; partition: number; offset: number });
  t.true(tailed.every((r) => r.topic === 'word-counts'));

  const topics = await ok(t, ['topics', ...flags]);
  for (const name of ['lines', 'word-counts', 'wc-by-word-repartition', 'wc-word-counts-changelog']) t.regex(topics.stdout, new RegExp(`^${name}\\s+4\\b`, 'm'));
  t.is(endTotal(topics.stdout, 'lines'), first.length + more.length);

  t.regex(await lagReachesZero(t, ['lag', WORD_COUNT, ...appFlags]), /^Application wc: total lag 0/);

  // Reset: the running application's is refused (its state directory is the run's); another application's goes through.
  const resetRunning = await streams(['reset', WORD_COUNT, ...appFlags, '--yes'], { env: ENV });
  t.is(resetRunning.code, 1);
  t.regex(resetRunning.stderr, new RegExp(`Application wc is running: process ${run.child.pid} .*Stop it \\(Ctrl-C\\), then reset\\.`));
  const resetOther = await ok(t, ['reset', WORD_COUNT, ...flags, '--app-id', 'other', '--yes']);
  t.regex(resetOther.stdout, /Application other is reset/);

  const second = await streams(['run', WORD_COUNT, ...appFlags], { env: ENV });
  t.is(second.code, 1, second.stderr);
  t.regex(second.stderr, new RegExp(`held by process ${run.child.pid} .*another 'streams run' on this state directory\\. Stop process ${run.child.pid}`));

  tail.child.kill('SIGTERM');
  t.is((await tail.exited).code, 0);
  await stopped(t, run);
  t.false(existsSync(socket), 'the run removed its socket');

  // Nobody holds the log: the commands open it themselves.
  const after = await ok(t, ['topics', ...flags]);
  t.is(endTotal(after.stdout, 'lines'), first.length + more.length);
  t.regex(await lagReachesZero(t, ['lag', WORD_COUNT, ...appFlags]), /^Application wc: total lag 0/);

  // A run killed outright leaves its lock and its socket: the commands find its pid gone and open the log themselves.
  const killed = startStreams(['run', WORD_COUNT, ...appFlags], { env: ENV, timeoutMs: 5 * 60_000 });
  await killed.waitFor('stderr', /"msg":"Running tasks /);
  killed.child.kill('SIGKILL');
  await killed.exited;
  t.true(existsSync(socket), 'the killed run left its socket');
  const afterKill = await ok(t, ['produce', 'lines', ...flags], lineInput(['once more'], 9));
  t.regex(afterKill.stdout, /^Produced 1 record to lines/);
  const last = await ok(t, ['topics', ...flags]);
  t.is(endTotal(last.stdout, 'lines'), first.length + more.length + 1);

  // A tail started with no run holds the log itself (and serves nobody): a run is refused, told to stop it first.
  const early = startStreams(['tail', 'lines', ...flags], { env: ENV, timeoutMs: 5 * 60_000 });
  t.teardown(() => void early.child.kill('SIGKILL'));
  const lockFile = join(dir, '.log', '.lock');
  const deadline = Date.now() + 30_000;
  while (!(existsSync(lockFile) && (JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number }).pid === early.child.pid) && Date.now() < deadline) await delay(100);
  const blocked = await streams(['run', WORD_COUNT, ...appFlags], { env: ENV });
  t.is(blocked.code, 1, blocked.stderr);
  t.regex(blocked.stderr, new RegExp(`held by process ${early.child.pid} \\(since .*\\), which is not a 'streams run' .*a 'streams tail' following a topic.*A run must own the log: stop process ${early.child.pid}`));
  early.child.kill('SIGTERM');
  t.is((await early.exited).code, 0);
});
