import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CliError } from './cli-error.ts';

/**
 * Imports a user's TypeScript (or JavaScript) file. The streams bin registered tsx's API (tsx/esm/api) before anything
 * ran, so `.ts` files and their `.ts` imports load directly, as tsx runs them — transformed, not type-checked (Node 20
 * has no type stripping) — and always as ES modules (bin/typescript-as-esm.js). (Not tsImport: its namespace would
 * load a second copy of @ts-streams/dsl for the file, whose Topology the CLI's would not recognise.) A JavaScript file
 * that is CommonJS (`--config config.js` in a package without `"type": "module"`) comes back as CommonJS interop: its
 * exports are unwrapped. What
 * can go wrong is turned into one CliError naming the file and the fix: the file is not there, it does not compile
 * (a TypeScript syntax error, with line and column), it imports something that cannot be found, or it threw while
 * loading.
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  const shown = display(file);
  if (!existsSync(file)) throw new CliError(`${shown} does not exist. Check the path (relative paths start at ${process.cwd()}).`);
  try {
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    // CommonJS: `default` is module.exports, which esbuild marks __esModule and which holds the named exports.
    const exports = module.default as Record<string, unknown> | undefined;
    return typeof exports === 'object' && exports !== null && exports.__esModule === true ? exports : module;
  } catch (e) {
    throw loadError(shown, e);
  }
}

/** A path as the user would write it: relative to the working directory when inside it. */
export function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

function loadError(shown: string, e: unknown): CliError {
  const error = e as { name?: string; code?: string; message?: string; stack?: string };
  const message = error?.message ?? String(e);
  // esbuild (tsx's transform): "Transform failed with 1 error:\n/abs/file.ts:2:18: ERROR: Unexpected \";\"" (its columns
  // count from 0; editors' from 1)
  if (error?.name === 'TransformError' || /^Transform failed with \d+ error/.test(message)) {
    const problems = [...message.matchAll(/^(.+?):(\d+):(\d+): ERROR: (.*)$/gm)].map(
      ([, where, line, column, text]) => `${display(where!) === shown ? '' : `${display(where!)} `}line ${line}, column ${Number(column) + 1}: ${text}`,
    );
    return new CliError(
      `${shown} does not compile: ${problems.length > 0 ? problems.join('; ') : message}. ` +
        `Fix the TypeScript there (streams loads it as tsx does, without checking types: 'streams run' checks them before it runs a file, 'npx tsc --noEmit' checks them too).`,
      1,
      { cause: e },
    );
  }
  if (error?.code === 'MODULE_NOT_FOUND') {
    // CommonJS (a file in a package without "type": "module"): "Cannot find module './x.ts'\nRequire stack: …".
    const specifier = /Cannot find module '([^']+)'/.exec(message)?.[1] ?? message;
    if (!specifier.startsWith('.') && !specifier.startsWith('/')) return notInstalled(shown, specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'), e);
    return new CliError(`${shown} imports '${specifier}', which does not exist: fix the import path in ${shown} (or in the file that imports it).`, 1, { cause: e });
  }
  if (error?.code === 'ERR_MODULE_NOT_FOUND') {
    const missingPackage = /Cannot find package '([^']+)'/.exec(message)?.[1];
    if (missingPackage !== undefined) return notInstalled(shown, missingPackage, e);
    const missing = /Cannot find module '([^']+)'/.exec(message)?.[1];
    const what = missing === undefined ? message : display(missing.startsWith('file:') ? fileURLToPath(missing) : missing);
    return new CliError(`${shown} imports ${what}, which does not exist: fix the import path in ${shown} (or in the file that imports it).`, 1, { cause: e });
  }
  if (error?.name === 'SyntaxError') {
    return new CliError(`${shown} could not be loaded: ${message}. Fix the import or export it names.`, 1, { cause: e });
  }
  const at = firstUserFrame(error?.stack);
  return new CliError(`${shown} threw while loading: ${error?.name ?? 'Error'}: ${message}${at ? ` (at ${at})` : ''}.`, 1, { cause: e });
}

function notInstalled(shown: string, name: string, e: unknown): CliError {
  return new CliError(`${shown} imports the package '${name}', which is not installed: install it (npm install ${name}) or fix the import.`, 1, { cause: e });
}

/** Where the @ts-streams packages are (this repository's packages/, or node_modules/@ts-streams/ when installed). */
const OWN_PACKAGES = fileURLToPath(new URL('../../../', import.meta.url));

/** The first stack frame outside node_modules, the @ts-streams packages and Node's internals: the user's code. */
function firstUserFrame(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /(?:\(|^at )((?:file:\/\/)?\/[^()]+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (m === null) continue;
    const path = m[1]!.startsWith('file:') ? fileURLToPath(m[1]!) : m[1]!;
    if (path.includes('/node_modules/') || path.startsWith(OWN_PACKAGES)) continue;
    return `${display(path)}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
