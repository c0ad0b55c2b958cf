import { basename, dirname } from 'node:path';
import { StreamsBuilder, Topology } from '@ts-streams/dsl';
import type { StreamsConfig } from '../app/streams-config.ts';
import { CliError } from './cli-error.ts';
import { display, importUserModule } from './load-module.ts';
import { EXPORT_HOW, locateTopology } from './locate-topology.ts';
import type { TopicView } from './topic-view.ts';

/** A topology file loaded: what `run`, `describe`, `lag`, `reset` and `tail --topology` work from. */
export interface LoadedTopology {
  /** The topology file (absolute). */
  readonly file: string;
  readonly topology: Topology;
  /** Its exported `config` (StreamsConfig options), if it has one. */
  readonly config: Partial<StreamsConfig> | undefined;
  /** The application id when none is given: the name of the file's folder. */
  readonly defaultAppId: string;
  /** Given a folder that has a `generator.ts`: that file (absolute). */
  readonly generatorFile: string | undefined;
  /**
   * Its exported `print`, if it has one: the topic `streams run` prints when no --print is given (an example shows
   * its output from the first run: `export const print = 'page-view-stats'`).
   */
  readonly print: string | undefined;
  /** Its exported `view`, if it has one: what `streams run` shows on a terminal, redrawn in place (see TopicView). */
  readonly view: TopicView | undefined;
}

/**
 * Loads `<file.ts>`, or `<folder>/topology.ts` (and notes `<folder>/generator.ts`). The default export is a Topology,
 * or a function called with a new StreamsBuilder that builds on it (the CLI calls build()) or returns a Topology; an
 * exported `config` is an object of StreamsConfig options. Every problem is a CliError naming the file and the fix.
 */
export async function loadTopology(path: string): Promise<LoadedTopology> {
  const { file, generatorFile } = locateTopology(path);
  const module = await importUserModule(file);
  const config = configOf(file, module.config);
  return {
    file,
    topology: await topologyOf(file, module.default),
    config,
    defaultAppId: basename(dirname(file)),
    generatorFile,
    print: printOf(file, module.print),
    view: viewOf(file, module.view),
  };
}

async function topologyOf(file: string, exported: unknown): Promise<Topology> {
  const shown = display(file);
  if (exported instanceof Topology) return exported;
  if (typeof exported === 'function') {
    const builder = new StreamsBuilder();
    let returned: unknown;
    try {
      returned = await (exported as (builder: StreamsBuilder) => unknown)(builder);
    } catch (e) {
      throw new CliError(`${shown}'s default export threw while building the topology: ${(e as Error)?.message ?? String(e)}`, 1, { cause: e });
    }
    if (returned instanceof Topology) return returned;
    if (returned === undefined) {
      try {
        return builder.build();
      } catch (e) {
        throw new CliError(`${shown}: the topology does not build: ${(e as Error)?.message ?? String(e)}`, 1, { cause: e });
      }
    }
    throw new CliError(`${shown}'s default export returned ${kind(returned)}, not a Topology: return builder.build(), or nothing (streams then builds what it added to the builder).`);
  }
  if (exported === undefined) throw new CliError(`${shown} has no default export: ${EXPORT_HOW}.`);
  if ((exported as { constructor?: { name?: string } })?.constructor?.name === 'Topology') {
    throw new CliError(
      `${shown}'s default export is a Topology from another copy of @ts-streams/dsl than the one streams uses: install a single version (npm ls @ts-streams/dsl lists them).`,
    );
  }
  throw new CliError(`${shown}'s default export is ${kind(exported)}, not a topology: ${EXPORT_HOW}.`);
}

function printOf(file: string, exported: unknown): string | undefined {
  if (exported === undefined || typeof exported === 'string') return exported;
  throw new CliError(`${display(file)} exports \`print\` as ${kind(exported)}: export the name of a topic the topology writes to (e.g. export const print = 'page-view-stats').`);
}

function viewOf(file: string, exported: unknown): TopicView | undefined {
  if (exported === undefined) return undefined;
  const wrong = (what: string) =>
    new CliError(
      `${display(file)} exports \`view\` as ${what}: export a TopicView (a type of @ts-streams/runtime), an object with ` +
        '`topic` (a topic the topology writes to), `add(record)` and `lines()`.',
    );
  if (typeof exported !== 'object' || exported === null || Array.isArray(exported)) throw wrong(kind(exported));
  const view = exported as Partial<Record<keyof TopicView, unknown>>;
  const missing = [typeof view.topic !== 'string' && 'no `topic` string', typeof view.add !== 'function' && 'no `add` function', typeof view.lines !== 'function' && 'no `lines` function'];
  const lacks = missing.filter((x) => x !== false);
  if (lacks.length > 0) throw wrong(`an object with ${lacks.join(', ')}`);
  return exported as TopicView;
}

function configOf(file: string, exported: unknown): Partial<StreamsConfig> | undefined {
  if (exported === undefined) return undefined;
  if (typeof exported === 'object' && exported !== null && !Array.isArray(exported)) return exported as Partial<StreamsConfig>;
  throw new CliError(`${display(file)} exports \`config\` as ${kind(exported)}: export an object of StreamsConfig options (e.g. export const config = { commitIntervalMs: 1000 }).`);
}

/** What a value is, for messages: "a number (3)", "an object", "null". */
export function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `a string ('${value.length > 40 ? `${value.slice(0, 40)}…` : value}')`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `a ${typeof value} (${String(value)})`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}
