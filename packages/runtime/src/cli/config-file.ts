import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { StreamsConfig } from '../app/streams-config.ts';
import { CliError } from './cli-error.ts';
import { display, importUserModule } from './load-module.ts';
import { kind } from './load-topology.ts';

/**
 * Reads `--config <file>`: StreamsConfig options as JSON (`.json`), or a module (`.ts`, `.js`, …) whose default
 * export — or `config` export — is the object. Checked by name later, with the rest of the configuration.
 */
export async function loadConfigFile(path: string): Promise<Partial<StreamsConfig>> {
  const file = resolve(path);
  const shown = display(file);
  let value: unknown;
  if (extname(file).toLowerCase() === '.json') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(`--config ${shown} cannot be read: ${(e as Error).message}. Check the path.`, 1, { cause: e });
    }
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new CliError(`--config ${shown} is not valid JSON: ${(e as Error).message}. Fix it, e.g. { "commitIntervalMs": 1000 }.`, 1, { cause: e });
    }
  } else {
    const module = await importUserModule(file);
    value = module.default ?? module.config;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`--config ${shown} holds ${kind(value)}: it must be an object of StreamsConfig options, e.g. { "commitIntervalMs": 1000 }.`);
  }
  return value as Partial<StreamsConfig>;
}
