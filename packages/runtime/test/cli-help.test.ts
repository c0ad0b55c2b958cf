// `streams --help`, each command's --help, the version, and what a bare `streams` says: no broker needed.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { streams } from './cli-process.ts';

/** Each command with the flags its help must show (those the issue lists, and the target's). */
const COMMANDS: Readonly<Record<string, readonly string[]>> = {
  run: ['--brokers', '--app-id', '--state-dir', '--config', '--from-beginning', '--print', '--log-level', '--no-type-check'],
  produce: ['--file', '--json', '--key-serde', '--value-serde', '--brokers', '--state-dir'],
  tail: ['--from-beginning', '--max', '--timeout-ms', '--topology', '--key-serde', '--value-serde', '--brokers', '--state-dir'],
  topics: ['--brokers', '--state-dir'],
  describe: ['--format'],
  lag: ['--app-id', '--config', '--brokers', '--state-dir'],
  reset: ['--yes', '--app-id', '--config', '--brokers', '--state-dir'],
};

test('streams --help lists every command and exits 0', async (t) => {
  const { code, stdout, stderr } = await streams(['--help']);
  t.is(code, 0, stderr);
  for (const c of Object.keys(COMMANDS)) t.regex(stdout, new RegExp(`^  ${c} +\\S`, 'm'), c);
  t.is(stderr, '');
});

for (const [command, flags] of Object.entries(COMMANDS)) {
  test(`streams ${command} --help prints its usage and its flags, and exits 0`, async (t) => {
    const { code, stdout, stderr } = await streams([command, '--help']);
    t.is(code, 0, stderr);
    t.true(stdout.startsWith(`Usage: streams ${command}`), stdout);
    for (const flag of [...flags, '-h, --help']) t.true(stdout.includes(flag), `${command} ${flag}`);
  });
}

test("--help wins over anything else on the line, even a wrong flag; 'streams help <command>' prints the same", async (t) => {
  const help = await streams(['tail', '--help']);
  const mixed = await streams(['tail', 'x', '--no-such-flag', '-h']);
  t.is(mixed.code, 0, mixed.stderr);
  t.is(mixed.stdout, help.stdout);
  const viaHelp = await streams(['help', 'tail']);
  t.is(viaHelp.code, 0);
  t.is(viaHelp.stdout, help.stdout);
});

test('streams --version prints the runtime package version; a bare streams prints the usage on stderr and exits 2', async (t) => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const version = await streams(['--version']);
  t.is(version.code, 0);
  t.is(version.stdout.trim(), `@ts-streams/runtime ${pkg.version}`);
  const bare = await streams([]);
  t.is(bare.code, 2);
  t.regex(bare.stderr, /^streams — run Kafka Streams topologies/);
});
