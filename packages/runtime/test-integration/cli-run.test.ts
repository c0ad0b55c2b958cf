// `streams run` on the real broker, as a user runs it: the CLI's bin in a child process running the word-count fixture
// (a function of a StreamsBuilder with an exported config), its topics named per test. The story of an application:
// it runs and --print shows its output; SIGTERM stops it cleanly; `lag` shows its committed positions; it runs again
// and resumes (nothing counted twice); `reset` sends it back to the start; it runs again and recounts from scratch.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { kafkaTest, type TestBroker } from './kafka-test.ts';
import { streams, startStreams, counts, printed, printsCounts, type RunningCli } from '../test/cli-process.ts';
import type { KafkaAdmin } from '../src/client/kafka-admin.ts';
import { defaultPartition } from '../src/io/murmur2.ts';

const WORD_COUNT = fileURLToPath(new URL('../test/fixtures/cli/word-count/topology.ts', import.meta.url));

interface Setup {
  readonly admin: KafkaAdmin;
  readonly input: string;
  readonly output: string;
  readonly app: string;
  readonly stateDir: string;
  readonly env: Record<string, string>;
  /** Flags every command of the application takes. */
  readonly flags: string[];
  produce(lines: readonly string[]): Promise<void>;
}

async function setup(t: ExecutionContext, broker: TestBroker): Promise<Setup> {
  const id = randomUUID().slice(0, 8);
  const input = `cli-run-lines-${id}`;
  const output = `cli-run-counts-${id}`;
  const app = `cli-run-${id}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'streams-cli-run-'));
  const client = broker.seamClient('cli-run-test');
  const admin = client.admin();
  t.teardown(async () => {
    const mine = (await admin.listTopics()).filter((x) => x === input || x === output || x.startsWith(`${app}-`));
    await admin.deleteTopics(mine).catch(() => undefined);
    await client.close();
    rmSync(stateDir, { recursive: true, force: true });
  });
  await admin.createTopics([{ name: input, partitions: 2, configs: {} }, { name: output, partitions: 2, configs: {} }]);
  const producer = client.producer({});
  let sent = 0;
  return {
    admin, input, output, app, stateDir,
    env: { CLI_TEST_INPUT: input, CLI_TEST_OUTPUT: output },
    flags: ['--brokers', broker.brokers.join(','), '--client', broker.client, '--app-id', app, '--state-dir', stateDir],
    async produce(lines) {
      await producer.send(lines.map((line) => {
        const key = Buffer.from(`line-${sent++}`);
        return { topic: input, partition: defaultPartition(key, 2), key, value: Buffer.from(line), timestamp: 1_000 + sent, headers: [] };
      }));
    },
  };
}

async function stop(t: ExecutionContext, cli: RunningCli, signal: NodeJS.Signals): Promise<void> {
  cli.child.kill(signal);
  const { code, stderr } = await cli.exited;
  t.is(code, 0, `exit code after ${signal}; stderr: ${stderr}`);
  t.regex(stderr, new RegExp(`"msg":"${signal}: stopping`));
  t.regex(stderr, /"msg":"Stopped: application cli-run-\w+ committed and closed cleanly\."/);
}

/** The `lag` table's rows as [topic, partition, committed, end, lag], and its total line. */
async function lag(t: ExecutionContext, s: Setup): Promise<{ rows: string[][]; total: string }> {
  const result = await streams(['lag', WORD_COUNT, ...s.flags], { env: s.env });
  t.is(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  t.deepEqual(lines[0]!.split(/\s+/), ['TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG']);
  return { rows: lines.slice(1, -1).map((l) => l.split(/\s+/)), total: lines.at(-1)! };
}

kafkaTest.serial('run, stop, lag, run again (resumes), reset, run again (recounts from scratch): the application as a user drives it', async (t, broker) => {
  t.timeout(8 * 60_000);
  const s = await setup(t, broker);
  const first = ['the quick brown fox', 'jumps over the lazy dog', 'the end'];
  await s.produce(first);

  // 1. A new application reads what is there (autoOffsetReset 'earliest'). --print shows its output, decoded (Long values).
  const run1 = startStreams(['run', WORD_COUNT, ...s.flags, '--print', s.output], { env: s.env, timeoutMs: 5 * 60_000 });
  await printsCounts(run1, counts(first));
  // Off a terminal the status is a log line (JSON, pino) every 10 s.
  await run1.waitFor('stderr', /"level":"info","time":"[^"]+","msg":"RUNNING · 4 tasks · in \d+\/s · out \d+\/s · lag [\d?]+ · \d+ commits?"/, 60_000);
  t.regex(run1.stderr(), new RegExp(`"msg":"Running .*topology\\.ts as application ${s.app} on Kafka at ${broker.brokers.join(',')}; state in ${s.stateDir}\\."`));
  await stop(t, run1, 'SIGTERM');

  // 2. lag: every input record committed.
  const afterRun = await lag(t, s);
  const inputRows = afterRun.rows.filter(([topic]) => topic === s.input);
  t.is(inputRows.length, 2);
  t.is(inputRows.reduce((n, r) => n + Number(r[2]), 0), first.length, 'committed up to every input record');
  t.true(afterRun.rows.every((r) => r[4] === '0' || r[2] === '-'), JSON.stringify(afterRun.rows));
  t.true(afterRun.rows.some(([topic]) => topic === `${s.app}-by-word-repartition`), 'the repartition topic is an input too');
  t.regex(afterRun.total, new RegExp(`^Application ${s.app}: total lag 0`));
  // The application id from a --config file (JSON, or a module's default export) instead of --app-id: the same answer.
  writeFileSync(join(s.stateDir, 'streams.json'), JSON.stringify({ applicationId: s.app }));
  writeFileSync(join(s.stateDir, 'streams.config.ts'), `export default { applicationId: '${s.app}' } satisfies Record<string, unknown>;\n`);
  for (const file of ['streams.json', 'streams.config.ts']) {
    const viaConfig = await streams(['lag', WORD_COUNT, '--config', join(s.stateDir, file), ...s.flags.filter((f, i, all) => f !== '--app-id' && all[i - 1] !== '--app-id')], { env: s.env });
    t.is(viaConfig.code, 0, viaConfig.stderr);
    t.is(viaConfig.stdout.trim().split('\n').at(-1), afterRun.total, file);
  }

  const second = ['the fox again', 'a new dog'];
  await s.produce(second);
  const behind = await lag(t, s);
  t.regex(behind.total, new RegExp(`^Application ${s.app}: total lag ${second.length}\\b`));

  // 3. Run again: it resumes from its committed positions with its state, counting on.
  const run2 = startStreams(['run', WORD_COUNT, ...s.flags, '--print', s.output], { env: s.env, timeoutMs: 5 * 60_000 });
  const all = counts([...first, ...second]);
  const changed = new Map([...all].filter(([w]) => counts(second).has(w)));
  await printsCounts(run2, changed);
  t.deepEqual([...printed(run2.stdout()).keys()].sort(), [...changed.keys()].sort(), 'only the words of the new lines were counted again');
  await stop(t, run2, 'SIGINT');

  // 4. reset: offsets back to the start, internal topics deleted, local state removed.
  const reset = await streams(['reset', WORD_COUNT, ...s.flags, '--yes'], { env: s.env });
  t.is(reset.code, 0, reset.stderr);
  t.regex(reset.stdout, new RegExp(`its committed offsets on ${s.input} go back to the beginning`));
  t.regex(reset.stdout, new RegExp(`its internal topics are deleted: ${s.app}-by-word-repartition, ${s.app}-word-counts-changelog`));
  t.regex(reset.stdout, new RegExp(`Application ${s.app} is reset`));
  t.false(existsSync(join(s.stateDir, s.app)), 'the local state is gone');
  const afterReset = await lag(t, s);
  t.deepEqual(afterReset.rows.filter(([topic]) => topic === s.input).map((r) => r[2]), ['0', '0'], 'committed offsets at the start');
  t.false(afterReset.rows.some(([topic]) => topic.startsWith(`${s.app}-`)), 'no internal topic any more');

  // 5. Run again: everything recounted from scratch — equal to the counts of all lines, not twice them.
  const run3 = startStreams(['run', WORD_COUNT, ...s.flags, '--print', s.output], { env: s.env, timeoutMs: 5 * 60_000 });
  await printsCounts(run3, all);
  await stop(t, run3, 'SIGINT');
});

kafkaTest('run on Kafka with an input topic missing: one message naming it, exit 1', async (t, broker) => {
  const id = randomUUID().slice(0, 8);
  const stateDir = mkdtempSync(join(tmpdir(), 'streams-cli-run-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const result = await streams(['run', WORD_COUNT, '--brokers', broker.brokers.join(','), '--client', broker.client, '--app-id', `cli-missing-${id}`, '--state-dir', stateDir], {
    env: { CLI_TEST_INPUT: `cli-no-such-input-${id}`, CLI_TEST_OUTPUT: `cli-no-such-output-${id}` },
  });
  t.is(result.code, 1, result.stderr);
  const message = result.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('{')).join('\n');
  t.regex(message, new RegExp(`^streams run: The topology reads topic 'cli-no-such-input-${id}', which the broker does not have\\. Create it`));
  t.regex(message, /'streams topics --brokers .*' lists the topics there/);
});
