import { parseArgs } from 'node:util';
import { usageError } from './cli-error.ts';
import { didYouMean } from './did-you-mean.ts';

/** A flag a command takes: `--name <value>` (string) or `--name` (boolean). */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/** The flags given, by name: a string flag's value, true for a boolean flag given, undefined when absent. */
export type FlagValues<S extends FlagSpecs> = { readonly [K in keyof S]: (S[K]['type'] extends 'boolean' ? boolean : string) | undefined };

/**
 * Parses a command's arguments with node:util's parseArgs (strict: every flag must be one the command takes) and
 * checks the number of positional arguments. Every mistake is a usage error (exit 2) naming the flag or argument,
 * with the flag it most likely means for an unknown one.
 */
export function parseFlags<S extends FlagSpecs>(
  command: string,
  args: readonly string[],
  specs: S,
  positionals: { readonly names: readonly string[]; readonly required: number },
): { readonly flags: FlagValues<S>; readonly positionals: readonly string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: specs as Record<string, FlagSpec>, strict: true, allowPositionals: true });
  } catch (e) {
    throw parseError(command, e, specs);
  }
  const given = parsed.positionals;
  if (given.length < positionals.required) {
    const missing = positionals.names.slice(given.length, positionals.required).map((n) => `<${n}>`).join(' ');
    throw usageError(command, `missing ${missing}`);
  }
  if (given.length > positionals.names.length) {
    const extra = given.slice(positionals.names.length).map((a) => `'${a}'`).join(', ');
    const takes = positionals.names.length === 0 ? 'it takes no argument' : `it takes ${positionals.names.map((n) => `<${n}>`).join(' ')}`;
    throw usageError(command, `unexpected ${extra}: ${takes}`);
  }
  return { flags: parsed.values as FlagValues<S>, positionals: given };
}

/** A whole number flag at least `min`, or undefined when absent. */
export function integerFlag(command: string, flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw usageError(command, `--${flag} takes a whole number >= ${min}, got '${value}'`);
  return n;
}

/** One of `choices`, or undefined when absent. */
export function choiceFlag<C extends string>(command: string, flag: string, value: string | undefined, choices: readonly C[]): C | undefined {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as C;
  const guess = didYouMean(value, choices);
  throw usageError(command, `--${flag} takes ${choices.join(', ')}; got '${value}'${guess ? ` — did you mean ${guess}?` : ''}`);
}

function parseError(command: string, e: unknown, specs: FlagSpecs): Error {
  const code = (e as { code?: string }).code;
  const message = (e as Error).message ?? String(e);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
    const guess = didYouMean(flag.replace(/^-+/, '').split('=')[0]!, Object.keys(specs));
    return usageError(command, `unknown flag ${flag}${guess ? ` — did you mean --${guess}?` : ''}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? 'a flag';
    const spec = specs[flag.replace(/^-+/, '')];
    if (spec?.type === 'boolean') return usageError(command, `${flag} takes no value`);
    return usageError(command, `${flag} needs a value (${flag} <value>, or ${flag}=<value> for one that starts with '-')`);
  }
  return usageError(command, message);
}
