// A `streams tail` following a topic through the socket of a `streams run` (its bin in child processes, no broker)
// outlives the run: stopped, the tail reads on from the log itself; a `streams produce` then, and a new run, get the
// log from it (it hands it over and reads on after them, through the new run's socket); a run killed outright is
// survived the same way. Every record produced is printed once, in offset order, none missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { streams, startStreams, type RunningCli } from './cli-process.ts';

const WORD_COUNT = fileURLToPath(new URL('./fixtures/cli/word-count/topology.ts', import.meta.url));
const ENV = { CLI_TEST_INPUT: 'lines', CLI_TEST_OUTPUT: 'word-counts' };

interface Tailed {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
}

const tailed = (cli: RunningCli): Tailed[] => cli.stdout().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Tailed);

async function produce(t: ExecutionContext, flags: readonly string[], keys: readonly string[]): Promise<void> {
  const result = await streams(['produce', 'lines', ...flags], { env: ENV, input: keys.map((k) => `${k}\tline ${k}\n`).join('') });
  t.is(result.code, 0, result.stderr);
}

/** Waits until the tail has printed every one of `keys`. */
async function printedAll(tail: RunningCli, keys: readonly string[]): Promise<void> {
  await tail.waitFor('stdout', () => {
    const seen = new Set(tailed(tail).map((r) => r.key));
    return keys.every((k) => seen.has(k));
  }, 90_000);
}

test('embedded: a tail following through a run outlives it — the run stopped, a produce, a new run, a run killed — printing every record once', async (t) => {
  t.timeout(6 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'streams-cli-tail-follows-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const flags = ['--state-dir', dir];
  const runFlags = [...flags, '--app-id', 'wc'];
  const startRun = async () => {
    const run = startStreams(['run', WORD_COUNT, ...runFlags], { env: ENV, timeoutMs: 5 * 60_000 });
    t.teardown(() => void run.child.kill('SIGKILL'));
    await run.waitFor('stderr', /"msg":"Running tasks /, 90_000);
    return run;
  };

  const first = await startRun();
  const tail = startStreams(['tail', 'lines', ...flags, '--from-beginning'], { env: ENV, timeoutMs: 5 * 60_000 });
  t.teardown(() => void tail.child.kill('SIGKILL'));
  const keys: string[] = [];
  const batch = (name: string, n: number) => {
    const made = Array.from({ length: n }, (_, i) => `${name}-${i}`);
    keys.push(...made);
    return made;
  };

  await produce(t, flags, batch('a', 8));
  await printedAll(tail, keys);

  // The run stops: the tail reads on from the log itself.
  first.child.kill('SIGTERM');
  t.is((await first.exited).code, 0);
  await tail.waitFor('stderr', /Reading on from the embedded log itself/, 60_000);
  t.regex(tail.stderr(), new RegExp(`Process ${first.child.pid}, the 'streams run' serving the embedded log, closed the connection .*: it stopped\\. Reading on from where this tail had got to`));

  // A produce while the tail holds the log: the tail hands it over, and reads on after it.
  await produce(t, flags, batch('b', 8));
  await printedAll(tail, keys);
  t.regex(tail.stderr(), /asks for the embedded log: handing it over/);

  // A new run: the tail hands the log over and reads on through the run's socket.
  const second = await startRun();
  await tail.waitFor('stderr', new RegExp(`Reading on through process ${second.child.pid}, the 'streams run' holding the embedded log now`), 60_000);
  await produce(t, flags, batch('c', 8));
  await printedAll(tail, keys);

  // The run killed outright (its lock and socket left behind): the tail opens the log itself.
  second.child.kill('SIGKILL');
  await second.exited;
  await produce(t, flags, batch('d', 8));
  await printedAll(tail, keys);

  tail.child.kill('SIGTERM');
  const { code, stderr } = await tail.exited;
  t.is(code, 0, stderr);
  const records = tailed(tail);
  t.deepEqual(records.map((r) => r.key).sort(), [...keys].sort(), 'every record printed once');
  for (const p of new Set(records.map((r) => r.partition))) {
    const offsets = records.filter((r) => r.partition === p).map((r) => r.offset);
    t.deepEqual(offsets, offsets.map((_, i) => i), `partition ${p}: every offset from 0, in order`);
  }
  t.true(records.every((r) => r.value === `line ${r.key}`));
});
