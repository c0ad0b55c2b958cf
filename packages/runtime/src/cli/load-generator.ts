import { CliError } from './cli-error.ts';
import type { Generator } from './generator.ts';
import { display, importUserModule } from './load-module.ts';
import { kind } from './load-topology.ts';

/** A folder's `generator.ts`: its default export, a Generator (a function of a GeneratorContext). */
export async function loadGenerator(file: string): Promise<Generator> {
  const module = await importUserModule(file);
  const generate = module.default;
  if (typeof generate === 'function') return generate as Generator;
  throw new CliError(
    `${display(file)}'s default export is ${kind(generate)}, not a generator: export default an async function of the context — ` +
      `export default (async ({ send, signal, sleep }) => { … }) satisfies Generator (Generator from @ts-streams/runtime).`,
  );
}
