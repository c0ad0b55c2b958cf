import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from './cli-error.ts';
import { display } from './load-module.ts';

/** How a topology file exports its topology, for messages. */
export const EXPORT_HOW =
  'export default the topology — `export default builder.build()` — or a function of a StreamsBuilder — ' +
  '`export default (builder: StreamsBuilder) => { builder.stream(...)... }`';

/** The files loadTopology(path) loads, without loading them: a CliError when there is no topology file there. */
export function locateTopology(path: string): { readonly file: string; readonly generatorFile: string | undefined } {
  const given = resolve(path);
  if (!existsSync(given)) {
    throw new CliError(`${display(given)} does not exist. Give a topology file (topology.ts) or a folder that has one (e.g. examples/page-views).`);
  }
  const isFolder = statSync(given).isDirectory();
  const file = isFolder ? join(given, 'topology.ts') : given;
  if (isFolder && !existsSync(file)) {
    throw new CliError(`The folder ${display(given)} has no topology.ts. Give the topology file itself, or add topology.ts there (${EXPORT_HOW}).`);
  }
  const generator = join(given, 'generator.ts');
  return { file, generatorFile: isFolder && existsSync(generator) ? generator : undefined };
}
