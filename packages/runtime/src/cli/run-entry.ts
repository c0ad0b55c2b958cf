import { join, resolve } from 'node:path';
import { parseFlags, type FlagValues } from './parse-flags.ts';
import { APP_FLAGS } from './app-flags.ts';
import { locateTopology } from './locate-topology.ts';
import { stateDirOf } from './state-dir.ts';
import { typeCheck, type TypeCheckResult } from './type-check.ts';

/** The flags of `streams run`. */
export const RUN_FLAGS = {
  ...APP_FLAGS,
  'from-beginning': { type: 'boolean' },
  print: { type: 'string' },
  'log-level': { type: 'string' },
  'no-type-check': { type: 'boolean' },
} as const;

/** A `streams run` started: its flags, its files, and the type check of them under way. */
export interface StartedRun {
  readonly flags: FlagValues<typeof RUN_FLAGS>;
  /** The file or folder given. */
  readonly path: string;
  readonly located: ReturnType<typeof locateTopology>;
  /** undefined with --no-type-check. */
  readonly checking: Promise<TypeCheckResult> | undefined;
}

/**
 * `streams run`'s entry: reads the command line, finds the topology's files and starts their type check before the
 * run's own modules load (the runtime, the clients, RocksDB: a second or more on a loaded machine), then runs
 * (run-command.ts) with the check under way. The compiler is stopped once the run no longer needs its answer.
 */
export async function run(args: readonly string[]): Promise<number> {
  const { flags, positionals } = parseFlags('run', args, RUN_FLAGS, { names: ['file | folder'], required: 1 });
  const path = positionals[0]!;
  const located = locateTopology(path);
  const stop = new AbortController();
  const config = flags.config !== undefined && /\.[cm]?tsx?$/.test(flags.config) ? [resolve(flags.config)] : [];
  const checking = flags['no-type-check'] === true
    ? undefined
    : typeCheck({
        files: [located.file, ...(located.generatorFile === undefined ? [] : [located.generatorFile]), ...config],
        cacheDir: join(stateDirOf(flags), '.type-check'),
        signal: stop.signal,
      });
  try {
    const { runApplication } = await import('./run-command.ts');
    return await runApplication({ flags, path, located, checking });
  } finally {
    stop.abort();
  }
}
