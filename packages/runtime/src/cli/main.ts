import { readFileSync } from 'node:fs';
import { CliError } from './cli-error.ts';
import type { CommandInfo } from './command.ts';
import { COMMANDS } from './command-list.ts';
import { didYouMean } from './did-you-mean.ts';

const HELP = `streams — run Kafka Streams topologies written in TypeScript

Usage: streams <command> [arguments] [flags]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')}

Without --brokers every command works on the embedded log (a single-process log under --state-dir, default
.streams/); with --brokers host:port, on Kafka.

  streams <command> --help   what a command takes
  streams --version          the version`;

/**
 * The `streams` command line: runs the command named first with the rest of the arguments and resolves with the
 * exit code. A mistake is one message on stderr naming the cause and the fix (no stack trace), exit code 2 for a
 * wrong command line and 1 for anything else.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  let command: CommandInfo | undefined;
  try {
    if (name === undefined) {
      process.stderr.write(`${HELP}\n`);
      return 2;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const about = args[0] === undefined ? undefined : find(args[0]);
      process.stdout.write(`${about?.help ?? HELP}\n`);
      return 0;
    }
    if (name === '--version' || name === '-v') {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    command = find(name);
    const end = args.indexOf('--');
    if ((end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h')) {
      process.stdout.write(`${command.help}\n`);
      return 0;
    }
    const run = await command.load();
    return await run(args);
  } catch (e) {
    // Loaded here: the help and the usage errors need none of the packages.
    const { StreamsError } = await import('@ts-streams/dsl');
    return report(command?.name, e, StreamsError);
  }
}

function find(name: string): CommandInfo {
  const command = COMMANDS.find((c) => c.name === name);
  if (command !== undefined) return command;
  const names = COMMANDS.map((c) => c.name);
  const guess = name.startsWith('-') ? undefined : didYouMean(name, names);
  const what = name.startsWith('-') ? `streams takes a command before any flag; '${name}' is not one` : `'${name}' is not a streams command`;
  throw new CliError(`${what}${guess ? ` — did you mean ${guess}?` : ''} (the commands: ${names.join(', ')}; streams --help says what each does).`, 2);
}

function report(command: string | undefined, e: unknown, StreamsError: new (...args: never[]) => Error): number {
  const prefix = command === undefined ? 'streams' : `streams ${command}`;
  if (e instanceof CliError) {
    process.stderr.write(`${prefix}: ${e.message}\n`);
    return e.exitCode;
  }
  if (e instanceof StreamsError) {
    // The runtime's own errors (a config option, a missing topic, a broker) name their cause and fix already.
    const cause = e.cause instanceof Error && !e.message.includes(e.cause.message) ? ` (${e.cause.message})` : '';
    process.stderr.write(`${prefix}: ${e.message}${cause}\n`);
    return 1;
  }
  process.stderr.write(`${prefix} failed unexpectedly (a bug: please report it with this output):\n${(e as Error)?.stack ?? String(e)}\n`);
  return 1;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return `${pkg.name} ${pkg.version}`;
}
