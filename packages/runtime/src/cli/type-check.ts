import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsconfigChain, type TsconfigChain } from './tsconfig-chain.ts';

/** One error TypeScript found in the user's files. */
export interface TypeProblem {
  /** Absolute; undefined for an error about the configuration as a whole. */
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** TS2322, … */
  readonly code: string;
  readonly message: string;
}

export type TypeCheckResult =
  | { readonly outcome: 'passed'; readonly cached: boolean; readonly ms: number; readonly typescript: string; readonly tsconfig: string | undefined }
  | { readonly outcome: 'failed'; readonly problems: readonly TypeProblem[]; readonly ms: number; readonly typescript: string; readonly tsconfig: string | undefined }
  | { readonly outcome: 'skipped'; readonly reason: string };

export interface TypeCheckOptions {
  /** The user's files (absolute): the topology, its generator, a --config module. Whatever they import is checked too. */
  readonly files: readonly string[];
  /** Where the check keeps its tsconfig, its cache entries and TypeScript's build info (in the state directory). */
  readonly cacheDir: string;
  /** Stops the compiler when the answer is no longer wanted. */
  readonly signal?: AbortSignal;
}

/** Where the @ts-streams packages are: errors there are not the user's to fix (as node_modules). */
const OWN_PACKAGES = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * What TypeScript says of a file it takes for CommonJS (a .ts file in a package without "type": "module", under
 * module node16/nodenext): streams runs the user's TypeScript files as ES modules whatever the package says
 * (bin/typescript-as-esm.js), so these do not hold. (TS1286, TS1287, TS1295: ESM syntax in a CommonJS file under
 * verbatimModuleSyntax; TS1309: top-level await in one; TS1479: it imports an ES module.)
 */
const NOT_HOW_STREAMS_RUNS_IT = new Set(['TS1286', 'TS1287', 'TS1295', 'TS1309', 'TS1479']);

/**
 * Type-checks the user's files before `streams run` runs them: tsx, which loads them, strips the types without
 * checking them, so a type error would otherwise surface — if at all — as a wrong result or a TypeError at run time.
 *
 * TypeScript's own compiler (the `tsc` of the `typescript` package the user's project has, else the one beside this
 * package) checks just these files and what they import, with the options of the tsconfig.json nearest to the first
 * file (through `extends`, so its paths, conditions and strictness hold) or, without one, strict defaults for ES
 * modules. Only its errors in the user's files count: node_modules and the @ts-streams packages are not theirs to fix.
 *
 * A pass is cached in `cacheDir`, keyed by the contents of every file the program read (the user's, their imports,
 * the .d.ts files) and of the configuration: a run whose files did not change starts without the compiler. (A file
 * added where the imports would now resolve to it is not noticed until another file changes.) TypeScript's own
 * incremental build info is kept there as well, so a check after an edit is quicker too.
 *
 * Never throws: without TypeScript, or when the compiler cannot run, the outcome is 'skipped' with the reason.
 */
export async function typeCheck(options: TypeCheckOptions): Promise<TypeCheckResult> {
  const started = Date.now();
  const files = [...new Set(options.files.map((f) => resolve(f)))];
  const typescript = findTypeScript(dirname(files[0]!));
  if (typescript === undefined) {
    return { outcome: 'skipped', reason: 'TypeScript is not installed in this project (npm install --save-dev typescript)' };
  }
  try {
    const chain = tsconfigChain(dirname(files[0]!));
    const name = sha256(JSON.stringify([...files].sort())).slice(0, 16);
    const configFile = join(options.cacheDir, `${name}.tsconfig.json`);
    const entryFile = join(options.cacheDir, `${name}.json`);
    const config = JSON.stringify(tsconfigOf(files, chain, join(options.cacheDir, `${name}.tsbuildinfo`)), null, 2);
    const settings = sha256([typescript.version, config, ...(chain?.files ?? []).flatMap((f) => [f.path, f.text])].join('\0'));
    const shown = { typescript: typescript.version, tsconfig: chain?.file };

    const entry = readEntry(entryFile);
    if (entry !== undefined && entry.settings === settings && digestOf(entry.files) === entry.digest) {
      return { outcome: 'passed', cached: true, ms: Date.now() - started, ...shown };
    }

    mkdirSync(options.cacheDir, { recursive: true });
    writeAtomically(configFile, config);
    const { code, output } = await compile(typescript, ['-p', configFile, '--pretty', 'false', '--listFiles'], options.signal);
    const { problems, listed } = parseOutput(output);
    const mine = problems.filter((p) => !NOT_HOW_STREAMS_RUNS_IT.has(p.code) && (p.file === undefined || !(p.file.includes('/node_modules/') || p.file.startsWith(OWN_PACKAGES))));
    if (mine.length > 0) return { outcome: 'failed', problems: mine, ms: Date.now() - started, ...shown };
    if (code !== 0 && problems.length === 0) {
      return { outcome: 'skipped', reason: `TypeScript ${typescript.version} could not check them: ${output.trim().split('\n')[0] ?? `tsc exited with ${code}`}` };
    }
    const digest = digestOf(listed);
    if (digest !== undefined) writeAtomically(entryFile, JSON.stringify({ settings, digest, files: listed } satisfies CacheEntry));
    return { outcome: 'passed', cached: false, ms: Date.now() - started, ...shown };
  } catch (e) {
    return { outcome: 'skipped', reason: `the type check failed: ${(e as Error)?.message ?? String(e)}` };
  }
}

interface CacheEntry {
  /** The digest of TypeScript's version and the configuration. */
  readonly settings: string;
  /** The digest of the files' paths and contents. */
  readonly digest: string;
  /** Every file the passing program read (absolute). */
  readonly files: readonly string[];
}

/** How to run a TypeScript's compiler: a native executable, or a Node script. */
interface Compiler {
  readonly version: string;
  readonly command: string;
  readonly args: readonly string[];
}

/** The `typescript` package the user's project resolves from `dir`, else the one this package resolves. */
function findTypeScript(dir: string): Compiler | undefined {
  for (const from of [join(dir, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      const pkgFile = createRequire(from).resolve('typescript/package.json');
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version?: string; bin?: Record<string, string> | string };
      const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.tsc;
      if (typeof pkg.version !== 'string' || bin === undefined) continue;
      const native = nativeCompiler(pkgFile);
      return native !== undefined
        ? { version: pkg.version, command: native, args: [] }
        : { version: pkg.version, command: process.execPath, args: [join(dirname(pkgFile), bin)] };
    } catch {
      // not found from there
    }
  }
  return undefined;
}

/**
 * TypeScript 7's compiler is a native executable in a package of its platform, which its `tsc` script runs (on Node
 * 20 as a child process: stopping the script would leave the compiler running). Run directly, it is stopped with the
 * run and starts without a Node process in between. undefined for a TypeScript whose compiler is JavaScript.
 */
function nativeCompiler(typescriptPackageFile: string): string | undefined {
  try {
    const platformPackage = createRequire(typescriptPackageFile).resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
    const exe = join(dirname(platformPackage), 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc');
    return existsSync(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The tsconfig the check runs: the user's nearest one extended (its `files` and `include` replaced by the files to
 * check), nothing emitted. The emit options that would refuse files outside the project's root are neutralised, and
 * the folders with type packages (node_modules/@types) are those above the user's tsconfig, as if it were run there.
 */
function tsconfigOf(files: readonly string[], chain: TsconfigChain | undefined, buildInfo: string): object {
  const projectDir = chain === undefined ? dirname(files[0]!) : dirname(chain.file);
  const typeRoots: string[] = [];
  for (let at = projectDir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules', '@types'))) typeRoots.push(join(at, 'node_modules', '@types'));
    if (dirname(at) === at) break;
  }
  // Without a tsconfig: strict ES modules as tsx runs them (imports as written, .ts extensions allowed), Node's types
  // if the project has them.
  const defaults = {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    types: typeRoots.some((root) => existsSync(join(root, 'node'))) ? ['node'] : [],
  };
  return {
    ...(chain === undefined ? {} : { extends: chain.file }),
    files,
    include: [],
    compilerOptions: {
      ...(chain === undefined ? defaults : {}),
      noEmit: true,
      composite: false,
      declaration: false,
      declarationMap: false,
      emitDeclarationOnly: false,
      sourceMap: false,
      rootDir: '/',
      incremental: true,
      tsBuildInfoFile: buildInfo,
      ...(chain?.setsTypeRoots === true ? {} : { typeRoots }),
    },
  };
}

/** Runs TypeScript's compiler to its end: its exit code and what it wrote. */
function compile(compiler: Compiler, args: readonly string[], signal: AbortSignal | undefined): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(compiler.command, [...compiler.args, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(signal === undefined ? {} : { signal }) });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

/**
 * tsc's plain output (--pretty false --listFiles): `file(line,col): error TS1234: message`, lines indented under it
 * that go on with it, `error TS1234: message` for the configuration, and the path of every file the program read.
 */
function parseOutput(output: string): { problems: TypeProblem[]; listed: string[] } {
  const problems: TypeProblem[] = [];
  const listed: string[] = [];
  let last: { problem: TypeProblem; more: string[] } | undefined;
  const flush = () => {
    if (last === undefined) return;
    // The first line of an elaboration says the most (`Type 'x' is not assignable to type 'y'.` under a call's error).
    const more = last.more.filter((l) => !/^(The file is in the program because|File is|Part of|Imported via|Matched by)/.test(l));
    problems.push(more.length === 0 ? last.problem : { ...last.problem, message: `${last.problem.message} ${more[0]}` });
    last = undefined;
  };
  for (const line of output.split('\n')) {
    const located = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    const general = located === null ? /^error (TS\d+): (.*)$/.exec(line) : null;
    if (located !== null) {
      flush();
      last = { problem: { file: resolve(located[1]!), line: Number(located[2]), column: Number(located[3]), code: located[4]!, message: located[5]!.trim() }, more: [] };
    } else if (general !== null) {
      flush();
      last = { problem: { file: undefined, line: undefined, column: undefined, code: general[1]!, message: general[2]!.trim() }, more: [] };
    } else if (/^\s+\S/.test(line) && last !== undefined) {
      last.more.push(line.trim());
    } else if (line.trim() !== '') {
      flush();
      if (existsSync(line.trim())) listed.push(resolve(line.trim()));
    }
  }
  flush();
  return { problems, listed };
}

function readEntry(file: string): CacheEntry | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
    return typeof entry.settings === 'string' && typeof entry.digest === 'string' && Array.isArray(entry.files) ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** The digest of the files' paths and contents; undefined when one of them is gone. */
function digestOf(files: readonly string[]): string | undefined {
  const hash = createHash('sha256');
  for (const file of files) {
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch {
      return undefined;
    }
    hash.update(file).update('\0').update(content).update('\0');
  }
  return hash.digest('hex');
}

/** Written whole or not at all: two runs of the same files (two terminals, the tests) may check them at once. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
