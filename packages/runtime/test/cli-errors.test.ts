// Every mistake a user can make with `streams` is one message on stderr that names the cause and the fix, and a
// non-zero exit (2 for a wrong command line, 1 for the rest) — never a stack trace. No broker needed: the one test
// about a broker is about a broker that does not answer.
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streams } from './cli-process.ts';

const COMMANDS = ['run', 'produce', 'tail', 'topics', 'describe', 'lag', 'reset'];
const WORD_COUNT = fileURLToPath(new URL('fixtures/cli/word-count/topology.ts', import.meta.url));

// Files a user might write, in a folder of their own (no package.json: CommonJS, as a fresh `npm init` project).
const dir = mkdtempSync(join(tmpdir(), 'streams-cli-errors-'));
const files: Record<string, string> = {
  'syntax.ts': 'const views: number = ;\nexport default views;\n',
  'no-default.ts': 'export const topology = 1;\n',
  'not-a-topology.ts': 'export default 42;\n',
  'returns-string.ts': "export default (builder: unknown) => 'a topology';\n",
  'throws.ts': "const ready = false;\nif (!ready) throw new Error('no database here');\nexport default 1;\n",
  'imports-missing.ts': "import { helper } from './helper.ts';\nexport default helper;\n",
  'imports-package.ts': "import 'no-such-package-for-streams';\nexport default 1;\n",
  'empty-builder.ts': 'export default (builder: unknown) => {};\n',
  'bad-config.ts': "export default (builder: { stream(t: string): { to(t: string): void } }) => builder.stream('a').to('b');\nexport const config = 5;\n",
  // The word-count fixture's topology (it builds), with a view that is not right.
  'view-a-string.ts': `export { default } from ${JSON.stringify(WORD_COUNT)};\nexport const view = 'word-counts';\n`,
  'view-no-lines.ts': `export { default } from ${JSON.stringify(WORD_COUNT)};\nexport const view = { topic: 'word-counts', add() {} };\n`,
  'view-of-input.ts': `export { default } from ${JSON.stringify(WORD_COUNT)};\nexport const view = { topic: 'lines', add() {}, lines: () => [] };\n`,
  'type-error.ts': "const views: number = 'many';\nexport default views;\n",
  'uses-helper.ts': "import { f } from './typed-helper.ts';\nexport default f();\n",
  'typed-helper.ts': "export const f = (): number => {\n  const s: string = 1;\n  return s.length;\n};\nexport const a: number = 'a', b: number = 'b', c: number = 'c';\n",
  'config.json': '{ "commitIntervalMs": 1000, ',
  'config-array.json': '[1, 2]',
};
for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
mkdirSync(join(dir, 'no-topology-here'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

/** Runs streams, expects `code` and a one-line message on stderr matching every pattern, and nothing on stdout. */
async function fails(t: ExecutionContext, args: readonly string[], code: 1 | 2, ...patterns: RegExp[]): Promise<void> {
  const result = await streams(args);
  t.is(result.code, code, `exit code of streams ${args.join(' ')}; stderr: ${result.stderr}`);
  const message = result.stderr.trimEnd();
  t.false(message.includes('\n'), `one line: ${message}`);
  t.false(/\n\s+at /.test(result.stderr), 'no stack trace');
  t.true(message.startsWith(COMMANDS.includes(args[0]!) ? `streams ${args[0]}: ` : 'streams: '), message);
  for (const p of patterns) t.regex(message, p);
}

test('an unknown command: its name, the command it most likely means and the list', (t) =>
  fails(t, ['rn', 'topology.ts'], 2, /'rn' is not a streams command/, /did you mean run\?/, /run, produce, tail, topics, describe, lag, reset/));

test('an unknown flag: its name, the flag it most likely means and where the help is', (t) =>
  fails(t, ['run', WORD_COUNT, '--app-di', 'x'], 2, /unknown flag --app-di/, /did you mean --app-id\?/, /streams run --help/));

test('a missing argument, an extra one, a flag without its value', async (t) => {
  await fails(t, ['tail'], 2, /missing <topic>/);
  await fails(t, ['topics', 'extra'], 2, /unexpected 'extra': it takes no argument/);
  await fails(t, ['tail', 't', '--max'], 2, /--max needs a value/);
});

test('a value a flag does not take: numbers, serdes, formats, log levels, brokers', async (t) => {
  await fails(t, ['tail', 't', '--max', 'ten'], 2, /--max takes a whole number >= 1, got 'ten'/);
  await fails(t, ['produce', 't', '--value-serde', 'jsn'], 2, /--value-serde takes string, json, long, integer, double, bytes-hex; got 'jsn' — did you mean json\?/);
  await fails(t, ['describe', WORD_COUNT, '--format', 'svg'], 2, /--format takes text, mermaid, dot; got 'svg'/);
  await fails(t, ['run', WORD_COUNT, '--log-level', 'loud'], 2, /--log-level takes trace, debug, info, warn, error, fatal, silent/);
  await fails(t, ['topics', '--brokers', 'localhost'], 2, /--brokers takes host:port/, /got 'localhost'/);
});

test('a topology file or folder that does not exist, and a folder without topology.ts', async (t) => {
  await fails(t, ['run', join(dir, 'nope.ts')], 1, /nope\.ts does not exist/, /Give a topology file \(topology\.ts\) or a folder that has one/);
  await fails(t, ['describe', join(dir, 'no-topology-here')], 1, /The folder .*no-topology-here has no topology\.ts/, /export default/);
});

test('a TypeScript syntax error: where it is and what it is', (t) =>
  fails(t, ['describe', join(dir, 'syntax.ts')], 1, /syntax\.ts does not compile: line 1, column 23: Unexpected ";"/, /Fix the TypeScript there/));

test('a TypeScript type error (run checks the types first): each at file:line:col with what TypeScript says, and how to run unchecked', async (t) => {
  await fails(t, ['run', join(dir, 'type-error.ts')], 1,
    /type-error\.ts does not type-check \(1 error, TypeScript \d[\w.-]*/, /type-error\.ts:1:7 Type 'string' is not assignable to type 'number' \(TS2322\)\./,
    /Fix the types there, or run it without checking them: streams run … --no-type-check\.$/);
  // An error in a file it imports names that file; past three, they are counted.
  await fails(t, ['run', join(dir, 'uses-helper.ts')], 1,
    /uses-helper\.ts does not type-check \(4 errors, /, /typed-helper\.ts:2:9 Type 'number' is not assignable to type 'string' \(TS2322\); .*typed-helper\.ts:5:14 /, /; and 1 more\. /);
  // Unchecked, it runs as tsx runs it: its default export is then no topology.
  await fails(t, ['run', join(dir, 'type-error.ts'), '--no-type-check'], 1, /type-error\.ts's default export is a string \('many'\), not a topology/);
});

test('no default export, or one that is not a topology', async (t) => {
  await fails(t, ['describe', join(dir, 'no-default.ts')], 1, /no-default\.ts has no default export: export default the topology/, /function of a StreamsBuilder/);
  await fails(t, ['describe', join(dir, 'not-a-topology.ts')], 1, /default export is a number \(42\), not a topology/);
  await fails(t, ['describe', join(dir, 'returns-string.ts')], 1, /default export returned a string \('a topology'\), not a Topology: return builder\.build\(\), or nothing/);
  await fails(t, ['describe', join(dir, 'empty-builder.ts')], 1, /the topology does not build: The topology is empty/);
});

test('a topology file that throws, or imports a file or package that is not there', async (t) => {
  await fails(t, ['describe', join(dir, 'throws.ts')], 1, /throws\.ts threw while loading: Error: no database here \(at .*throws\.ts:2:19\)/);
  await fails(t, ['describe', join(dir, 'imports-missing.ts')], 1, /imports-missing\.ts imports .*helper\.ts, which does not exist: fix the import path/);
  await fails(t, ['describe', join(dir, 'imports-package.ts')], 1, /imports the package 'no-such-package-for-streams', which is not installed: install it \(npm install no-such-package-for-streams\)/);
});

test('a configuration that is not one: the exported config, --config files', async (t) => {
  await fails(t, ['run', join(dir, 'bad-config.ts')], 1, /exports `config` as a number \(5\): export an object of StreamsConfig options/);
  await fails(t, ['run', WORD_COUNT, '--config', join(dir, 'config.json'), '--brokers', '127.0.0.1:9'], 1, /--config .*config\.json is not valid JSON/);
  await fails(t, ['run', WORD_COUNT, '--config', join(dir, 'config-array.json'), '--brokers', '127.0.0.1:9'], 1, /holds an array: it must be an object of StreamsConfig options/);
  await fails(t, ['run', WORD_COUNT, '--config', join(dir, 'missing.json'), '--brokers', '127.0.0.1:9'], 1, /--config .*missing\.json cannot be read/);
  await fails(t, ['lag', WORD_COUNT, '--app-id', 'my app'], 2, /The application id "my app" \(--app-id\) is not valid: it may hold letters, digits/);
});

test("--print of a topic the topology does not write; tail --topology of a topic it does not use", async (t) => {
  await fails(t, ['run', WORD_COUNT, '--print', 'lines', '--brokers', '127.0.0.1:9'], 2, /--print lines: the topology does not write to that topic; it writes to word-counts/);
  await fails(t, ['tail', 'clicks', '--topology', WORD_COUNT, '--brokers', '127.0.0.1:9'], 1, /neither reads nor writes 'clicks' \(its topics: lines, word-counts\)/);
});

test('--client: a client it does not know, and --client without --brokers (the embedded log needs none)', async (t) => {
  await fails(t, ['topics', '--brokers', '127.0.0.1:9', '--client', 'kafkatz'], 2, /--client takes kafkajs, kafkats; got 'kafkatz' — did you mean kafkats\?/);
  await fails(t, ['run', WORD_COUNT, '--client', 'kafkats'], 2, /--client chooses the Kafka client \(kafkajs, kafkats\) and goes with --brokers/);
});

test('without --brokers, on the embedded log: tail of a topic that does not exist names it and how to list the topics', async (t) => {
  const stateDir = join(dir, 'state');
  await fails(t, ['tail', 'no-such-topic', '--state-dir', stateDir, '--timeout-ms', '1000'], 1, /Topic 'no-such-topic' does not exist on the embedded log in .*state/, /'streams topics' lists the topics/);
});

test('a broker that does not answer: its address and what to check', async (t) => {
  const port = await closedPort();
  await fails(t, ['topics', '--brokers', `127.0.0.1:${port}`], 1, new RegExp(`Cannot reach Kafka at 127\\.0\\.0\\.1:${port}: no answer within 10 s`), /Check that the broker is running and that --brokers names its host:port/);
});

test('a broker that does not answer, for every command that talks to one: one line naming the address and what to check (no client connection errors before it)', async (t) => {
  t.timeout(8 * 60_000);
  const port = await closedPort();
  const brokers = ['--brokers', `127.0.0.1:${port}`];
  // One after another: each waits 10 s for the broker, and this file's other tests run meanwhile.
  for (const args of [
    ['run', WORD_COUNT, '--no-type-check', ...brokers],
    ['produce', 'lines', ...brokers],
    ['tail', 'lines', ...brokers],
    ['lag', WORD_COUNT, ...brokers],
    ['reset', WORD_COUNT, '--yes', ...brokers],
    ['topics', ...brokers, '--client', 'kafkats'],
  ]) {
    await fails(t, args, 1, new RegExp(`Cannot reach Kafka at 127\\.0\\.0\\.1:${port}: no answer within 10 s`), /Check that the broker is running/);
  }
});

test('produce --file of a file that does not exist', (t) =>
  fails(t, ['produce', 'clicks', '--file', join(dir, 'clicks.txt'), '--brokers', '127.0.0.1:9'], 1, /--file .*clicks\.txt does not exist/));

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('an exported view that is not a TopicView, or of a topic the topology does not write', async (t) => {
  await fails(t, ['run', join(dir, 'view-a-string.ts'), '--brokers', '127.0.0.1:9'], 1, /exports `view` as a string \('word-counts'\): export a TopicView \(a type of @ts-streams\/runtime\), an object with `topic`/);
  await fails(t, ['run', join(dir, 'view-no-lines.ts'), '--brokers', '127.0.0.1:9'], 1, /exports `view` as an object with no `lines` function: export a TopicView/);
  await fails(t, ['run', join(dir, 'view-of-input.ts'), '--brokers', '127.0.0.1:9'], 1, /view-of-input\.ts exports a view of lines, a topic the topology does not write to: view one it writes to \(word-counts\)/);
});
