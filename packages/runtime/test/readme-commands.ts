// The README's command tables, read from README.md, and the story that runs every command of its `streams` CLI table
// with the flags the table names — on the embedded log (test/readme-commands.test.ts) and on Kafka
// (test-integration/readme-commands.test.ts). A change to a table breaks these tests until they run the new command or
// flag: a command or flag the README shows is one a test ran.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { StreamsBuilder } from '@ts-streams/dsl';
import wordCount from './fixtures/cli/word-count/topology.ts';
import { streams, startStreams, counts, printed, printsCounts, type CliResult, type RunningCli } from './cli-process.ts';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const WORD_COUNT = fileURLToPath(new URL('./fixtures/cli/word-count/topology.ts', import.meta.url));

/** A row of the README's `streams` CLI table: the command, and the flags its "main flags" column names. */
export interface CliTableRow {
  readonly command: string;
  readonly flags: readonly string[];
}

/** The rows of a Markdown table under the heading `heading` in README.md, each a list of cells (`\|` unescaped). */
function tableUnder(heading: string): string[][] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n${heading}\n`);
  if (at === -1) throw new Error(`README.md has no '${heading}' section`);
  const lines = readme.slice(at + heading.length + 2).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replaceAll('\\|', '|')));
  }
  return rows;
}

/** The README's `streams` CLI table (section "The streams CLI"). */
export function readmeCliTable(): CliTableRow[] {
  return tableUnder('## The streams CLI').map(([usage, , flags]) => {
    const command = /^`streams (\w+)/.exec(usage ?? '')?.[1];
    if (command === undefined) throw new Error(`README.md's CLI table: a row that is not a streams command: ${usage}`);
    // "serdes" stands for the two serde flags.
    const named = [...(flags ?? '').matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);
    return { command, flags: /\bserdes\b/.test(flags ?? '') ? [...named, '--key-serde', '--value-serde'] : named };
  });
}

/** The README's "Commands" table: what each does, and the command (shell). */
export function readmeCommandsTable(): { readonly what: string; readonly command: string }[] {
  return tableUnder('## Commands').map(([what, command]) => ({ what: what!, command: /^`(.*)`$/.exec(command!)?.[1] ?? command! }));
}

/** The commands of the README's first code block (the three at its top), comments left out. */
export function readmeTopCommands(): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l !== '');
}

/**
 * `streams` as the story runs it: the CLI's bin, each command's flags noted, so that the story can be held to the
 * README's table at the end.
 */
class Session {
  readonly used = new Map<string, Set<string>>();

  constructor(private readonly env: Record<string, string>) {}

  run(args: readonly string[], input?: string): Promise<CliResult> {
    this.note(args);
    return streams(args, { env: this.env, ...(input === undefined ? {} : { input }), timeoutMs: 120_000 });
  }

  start(args: readonly string[]): RunningCli {
    this.note(args);
    const cli = startStreams(args, { env: this.env, timeoutMs: 5 * 60_000 });
    cli.child.stdin!.end();
    return cli;
  }

  private note(args: readonly string[]): void {
    const flags = this.used.get(args[0]!) ?? new Set<string>();
    for (const a of args) if (a.startsWith('--')) flags.add(a.split('=')[0]!);
    this.used.set(args[0]!, flags);
  }
}

export interface CliTableTarget {
  readonly kind: 'embedded' | 'kafka';
  /** The word-count fixture's input and output, and a topic for JSON records; on Kafka they exist already. */
  readonly input: string;
  readonly output: string;
  readonly events: string;
  readonly app: string;
  /** A directory of the test's own, for files it writes. */
  readonly dir: string;
  /** --state-dir, and --brokers on Kafka: what every command of the target takes. */
  readonly flags: readonly string[];
}

/** The word-count fixture as `streams describe` loads it (its topics from the environment). */
function wordCountTopology(input: string, output: string) {
  const saved = { input: process.env.CLI_TEST_INPUT, output: process.env.CLI_TEST_OUTPUT };
  process.env.CLI_TEST_INPUT = input;
  process.env.CLI_TEST_OUTPUT = output;
  try {
    const builder = new StreamsBuilder();
    wordCount(builder);
    return builder.build();
  } finally {
    process.env.CLI_TEST_INPUT = saved.input;
    process.env.CLI_TEST_OUTPUT = saved.output;
    if (saved.input === undefined) delete process.env.CLI_TEST_INPUT;
    if (saved.output === undefined) delete process.env.CLI_TEST_OUTPUT;
  }
}

/**
 * Runs every command of the README's CLI table on the target, with every flag its row names (but --brokers on the
 * embedded log, and on Kafka the commands whose help takes no --brokers: they do not reach a cluster), asserting
 * what each must do: produce (--file; --json with --key-serde long and --value-serde json), topics, describe (three
 * formats), run (--config, --state-dir, --print, --log-level; again with --from-beginning and --no-type-check), lag,
 * tail (--topology, --from-beginning, --max, --timeout-ms, the serdes) and reset (--yes).
 */
export async function cliTableStory(t: ExecutionContext, target: CliTableTarget): Promise<void> {
  const { input, output, events, app, dir, flags } = target;
  const s = new Session({ CLI_TEST_INPUT: input, CLI_TEST_OUTPUT: output });
  const appFlags = [...flags, '--app-id', app];
  const ok = (r: CliResult, what: string) => t.is(r.code, 0, `${what}: ${r.stderr}`);
  const stop = async (cli: RunningCli) => {
    cli.child.kill('SIGTERM');
    const { code, stderr } = await cli.exited;
    t.is(code, 0, stderr);
    t.regex(stderr, new RegExp(`"msg":"Stopped: application ${app} committed and closed cleanly\\."`));
  };
  const lines = ['the quick brown fox', 'jumps over the lazy dog', 'the end'];
  const all = counts(lines);

  // produce --file: key<TAB>value lines.
  writeFileSync(join(dir, 'lines.txt'), lines.map((l, i) => `line-${i}\t${l}\n`).join(''));
  const produced = await s.run(['produce', input, '--file', join(dir, 'lines.txt'), ...flags]);
  ok(produced, 'produce --file');
  t.regex(produced.stdout, new RegExp(`^Produced 3 records to ${input} on `));
  // produce --json, with serdes.
  const jsonLines = [{ key: 7, value: { page: '/home' }, timestamp: 1_700_000_000_000 }, { key: 8, value: [1, 2] }];
  const producedJson = await s.run(['produce', events, '--json', '--key-serde', 'long', '--value-serde', 'json', ...flags], jsonLines.map((l) => JSON.stringify(l)).join('\n'));
  ok(producedJson, 'produce --json');
  t.regex(producedJson.stdout, new RegExp(`^Produced 2 records to ${events} on `));

  // topics: the input, its partitions and end offsets.
  const topics = await s.run(['topics', ...flags]);
  ok(topics, 'topics');
  const row = topics.stdout.split('\n').find((l) => l.startsWith(`${input} `))?.trim().split(/\s+/);
  t.truthy(row, topics.stdout);
  const ends = row!.slice(2, 2 + Number(row![1])).map(Number);
  t.is(ends.reduce((a, b) => a + b, 0), lines.length, topics.stdout);

  // describe: what the topology's own describe(), toMermaid() and toDot() say (it reaches no cluster).
  if (target.kind === 'embedded') {
    const topology = wordCountTopology(input, output);
    for (const [format, expected] of [['text', topology.describe()], ['mermaid', topology.toMermaid()], ['dot', topology.toDot()]] as const) {
      const described = await s.run(['describe', WORD_COUNT, '--format', format]);
      ok(described, `describe --format ${format}`);
      t.is(described.stdout.trimEnd(), expected.trimEnd(), format);
    }
  }

  // run: the application id from --config, --print of its output, --log-level debug; stopped with SIGTERM.
  writeFileSync(join(dir, 'streams.json'), JSON.stringify({ applicationId: app }));
  const run1 = s.start(['run', WORD_COUNT, ...flags, '--config', join(dir, 'streams.json'), '--print', output, '--log-level', 'debug']);
  await printsCounts(run1, all);
  t.regex(run1.stderr(), new RegExp(`"msg":"Running .*topology\\.ts as application ${app} on `));
  t.regex(run1.stderr(), /"level":"debug",.*"msg":"State CREATED → REBALANCING\."/);
  t.regex(run1.stderr(), /"msg":"Types checked (in \d+ ms|: the files are unchanged)/);
  await stop(run1);

  // lag: every input record committed.
  const lag = await s.run(['lag', WORD_COUNT, ...appFlags]);
  ok(lag, 'lag');
  t.regex(lag.stdout.trim().split('\n').at(-1)!, new RegExp(`^Application ${app}: total lag 0`));

  // tail --topology: the output decoded with the topology's serdes (counts as numbers), from the beginning.
  const tailed = await s.run(['tail', output, '--topology', WORD_COUNT, '--from-beginning', '--timeout-ms', '3000', ...flags]);
  ok(tailed, 'tail --topology');
  t.deepEqual(new Map([...printed(tailed.stdout)].sort()), new Map([...all].sort()));
  // tail --max with serdes: the JSON records, decoded.
  const tailedJson = await s.run(['tail', events, '--from-beginning', '--max', '2', '--key-serde', 'long', '--value-serde', 'json', ...flags]);
  ok(tailedJson, 'tail --max');
  const records = tailedJson.stdout.trim().split('\n').map((l) => JSON.parse(l) as { key: unknown; value: unknown; timestamp: number });
  t.deepEqual(records.map((r) => [r.key, r.value]).sort(), [[7, { page: '/home' }], [8, [1, 2]]]);
  t.is(records.find((r) => r.key === 7)?.timestamp, 1_700_000_000_000);
  // tail without --from-beginning: only new records; --timeout-ms ends it when none come.
  const quiet = await s.run(['tail', input, '--timeout-ms', '1500', ...flags]);
  ok(quiet, 'tail --timeout-ms');
  t.is(quiet.stdout, '');

  // run --from-beginning: reset first, then a recount — the same counts, not doubled; --no-type-check: no check.
  const run2 = s.start(['run', WORD_COUNT, ...appFlags, '--from-beginning', '--no-type-check', '--print', output]);
  await printsCounts(run2, all);
  t.regex(run2.stderr(), new RegExp(`"msg":"--from-beginning: resetting application ${app} first`));
  t.notRegex(run2.stderr(), /Types checked/);
  await stop(run2);
  const recounted = await s.run(['tail', output, '--topology', WORD_COUNT, '--from-beginning', '--timeout-ms', '3000', ...flags]);
  t.deepEqual(new Map([...printed(recounted.stdout)].sort()), new Map([...all].sort()), 'recounted, not doubled');

  // reset --yes: the application's offsets back to the start, its internal topics and local state gone.
  const reset = await s.run(['reset', WORD_COUNT, ...appFlags, '--yes']);
  ok(reset, 'reset');
  t.regex(reset.stdout, new RegExp(`its internal topics are deleted: ${app}-by-word-repartition, ${app}-word-counts-changelog`));
  t.regex(reset.stdout, new RegExp(`Application ${app} is reset`));
  const afterReset = await s.run(['lag', WORD_COUNT, ...appFlags]);
  const inputRows = afterReset.stdout.trim().split('\n').slice(1, -1).map((l) => l.split(/\s+/)).filter(([topic]) => topic === input);
  t.true(inputRows.length > 0 && inputRows.every((r) => r[2] === '0'), afterReset.stdout);

  // Held to the README: every command of its table ran, with every flag its row names.
  for (const { command, flags: named } of readmeCliTable()) {
    const used = s.used.get(command);
    if (target.kind === 'kafka' && !(await takesBrokers(command))) {
      t.is(used, undefined, `streams ${command} takes no --brokers: not run on Kafka`);
      continue;
    }
    t.truthy(used, `the README's CLI table lists streams ${command}: the story must run it`);
    const expected = named.filter((f) => target.kind === 'kafka' || f !== '--brokers');
    t.deepEqual(expected.filter((f) => !used?.has(f)), [], `streams ${command}: flags the README names that the story did not use`);
  }
  const listed = new Set(readmeCliTable().map((r) => r.command));
  t.deepEqual([...s.used.keys()].filter((c) => !listed.has(c)), [], 'commands the story ran that the README table does not list');
}

/** Whether a command's --help offers --brokers (whether it reaches a cluster). */
async function takesBrokers(command: string): Promise<boolean> {
  return (await streams([command, '--help'])).stdout.includes('--brokers');
}
