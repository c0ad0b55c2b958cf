// `streams describe` prints what the topology's own describe(), toMermaid() and toDot() print, for a folder holding a
// topology.ts, the file itself, and a file exporting a function of a StreamsBuilder. No broker needed.
import test from 'ava';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamsBuilder } from '@ts-streams/dsl';
import { clicksTopology } from './fixtures/cli/clicks/topology.ts';
import wordCount from './fixtures/cli/word-count/topology.ts';
import { streams } from './cli-process.ts';

const CLICKS = fileURLToPath(new URL('fixtures/cli/clicks', import.meta.url));

test('describe: the TopologyDescription text, for a folder and for its topology.ts', async (t) => {
  const folder = await streams(['describe', CLICKS]);
  t.is(folder.code, 0, folder.stderr);
  t.is(folder.stdout.trimEnd(), clicksTopology().describe().trimEnd());
  t.regex(folder.stdout, /Processor: KSTREAM-AGGREGATE-0000000001 \(stores: \[clicks-per-minute\]\)/);
  const file = await streams(['describe', `${CLICKS}/topology.ts`, '--format', 'text']);
  t.is(file.stdout, folder.stdout);
});

test('describe --format mermaid and dot', async (t) => {
  const mermaid = await streams(['describe', CLICKS, '--format', 'mermaid']);
  t.is(mermaid.code, 0, mermaid.stderr);
  t.is(mermaid.stdout, clicksTopology().toMermaid());
  const dot = await streams(['describe', CLICKS, '--format', 'dot']);
  t.is(dot.code, 0, dot.stderr);
  t.is(dot.stdout, clicksTopology().toDot());
});

test('describe a file whose default export is a function of a StreamsBuilder (the CLI builds it), run from its folder', async (t) => {
  const { code, stdout, stderr } = await streams(['describe', 'topology.ts'], { cwd: fileURLToPath(new URL('fixtures/cli/word-count/', import.meta.url)) });
  t.is(code, 0, stderr);
  const builder = new StreamsBuilder();
  wordCount(builder);
  t.is(stdout.trimEnd(), builder.build().describe().trimEnd());
  t.regex(stdout, /Sink: by-word-repartition-sink \(topic: by-word-repartition\)/);
});

test('a topology.ts in a project without "type": "module" (CommonJS by default) loads as an ES module, with the same @ts-streams/dsl', async (t) => {
  // A fresh `npm init` project: package.json without "type", the packages in its node_modules (here: this repository's).
  const project = mkdtempSync(join(tmpdir(), 'streams-cli-commonjs-'));
  t.teardown(() => rmSync(project, { recursive: true, force: true }));
  writeFileSync(join(project, 'package.json'), '{ "name": "my-streams-app", "private": true }\n');
  symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(project, 'node_modules'), 'dir');
  writeFileSync(join(project, 'topology.ts'), [
    "import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';",
    'const builder = new StreamsBuilder();',
    "builder.stream('in', Consumed.with(Serdes.String(), Serdes.String())).mapValues((v: string) => v.toUpperCase()).to('out', Produced.with(Serdes.String(), Serdes.String()));",
    'export default builder.build();',
    '',
  ].join('\n'));
  const { code, stdout, stderr } = await streams(['describe', '.'], { cwd: project });
  t.is(code, 0, stderr);
  t.regex(stdout, /Source: KSTREAM-SOURCE-0000000000 \(topics: \[in\]\)/);
  t.regex(stdout, /Sink: KSTREAM-SINK-0000000002 \(topic: out\)/);
});
