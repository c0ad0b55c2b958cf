// The packages as a user installs them: dsl, state and runtime are built and packed (npm pack), the tarballs installed
// into a new project outside the repository (from npm's cache where it can: --prefer-offline), and there, with the
// project's own node_modules only — no tsx of ours, no source condition:
// - scripts/pack-consumer/smoke.mjs: every entry point resolves to compiled JavaScript in dist/, internals are not
//   exported, a topology runs through the test driver;
// - tsc (skipLibCheck off) type-checks a user's files against the published .d.ts files, and catches a user's type
//   error (type-error.ts) with the message TypeScript gives for it;
// - `npx streams produce` writes words to the embedded log in the project's .streams/, `npx streams run topology.ts`
//   counts them and prints the counts, Ctrl-C stops it with exit code 0.
// `npm run check:pack` runs this file alone.
import { spawn, type SpawnOptions } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TEMPLATE = join(ROOT, 'scripts/pack-consumer');
const TSC = join(ROOT, 'node_modules/.bin/tsc');
const TYPES_NODE = (createRequire(import.meta.url)('@types/node/package.json') as { version: string }).version;

interface Ran {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a command run as the user would, from a shell: without the npm_* variables `npm test` sets for
 * its scripts (npm_config_local_prefix and the like would point npm at this repository).
 */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'));
}

function start(command: string, args: readonly string[], cwd: string, options: SpawnOptions = {}) {
  const child = spawn(command, args, { cwd, env: userEnv(), stdio: ['pipe', 'pipe', 'pipe'], ...options });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Ran>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Runs a command to its end; rejects, with its output, unless it exits 0 (or as `expect` says). */
async function run(command: string, args: readonly string[], cwd: string, input = '', expect: (code: number | null) => boolean = (c) => c === 0): Promise<Ran> {
  const started = start(command, args, cwd);
  started.child.stdin!.end(input);
  const ran = await started.exited;
  if (!expect(ran.code)) throw new Error(`${command} ${args.join(' ')} exited ${ran.code} in ${cwd}.\nstdout: ${ran.stdout}\nstderr: ${ran.stderr}`);
  return ran;
}

test('installed from npm pack tarballs in a project outside the repository: entry points, types, npx streams run', async (t) => {
  t.timeout(6 * 60_000);
  const work = mkdtempSync(join(tmpdir(), 'ts-streams-installed-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const phase = (() => {
    let at = Date.now();
    return (what: string) => (t.log(`${what}: ${Date.now() - at} ms`), (at = Date.now()));
  })();

  // From an empty dist/: tsc -b leaves the output of a deleted source file behind, and npm pack would ship it.
  for (const p of ['dsl', 'state', 'runtime']) rmSync(join(ROOT, 'packages', p, 'dist'), { recursive: true, force: true });
  await run('npm', ['run', '--silent', 'build'], ROOT);
  await run('npm', ['pack', '--silent', '--pack-destination', work, '-w', 'packages/dsl', '-w', 'packages/state', '-w', 'packages/runtime'], ROOT);
  const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz')).sort();
  t.deepEqual(tarballs.map((f) => f.replace(/-\d+\.\d+\.\d+\.tgz$/, '')), ['ts-streams-dsl', 'ts-streams-runtime', 'ts-streams-state']);
  phase('build and pack');

  // The user's project: a folder of its own (its name is the default application id), the tarballs installed there
  // with what they depend on (luxon, rxjs, kafkajs, pino, tsx, the RocksDB binding), and @types/node for tsc.
  const project = join(work, 'my-streams-app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'my-streams-app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs.map((f) => join(work, f)), `@types/node@${TYPES_NODE}`], project);
  for (const f of readdirSync(TEMPLATE)) cpSync(join(TEMPLATE, f), join(project, f));
  phase('npm install');

  const smoke = await run('node', ['smoke.mjs'], project);
  t.regex(smoke.stdout, /entry points resolve to dist\/\*\.js, internals are not exported, a topology ran through the driver/);

  // The user's files type-check against the published .d.ts files; a user's type error is caught, with its message.
  await run(TSC, ['-p', 'tsconfig.json'], project);
  const typeError = await run(TSC, ['-p', 'tsconfig.type-error.json'], project, '', (code) => code !== 0);
  const errors = typeError.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
  t.deepEqual(errors, [
    "type-error.ts(9,14): error TS2345: Argument of type 'ProducedWithSerdes<string, string>' is not assignable to parameter of type 'Produced<string, number>'.",
  ], typeError.stdout);
  phase('smoke.mjs and tsc');

  // npx streams, on the embedded log in the project's .streams/ (the default state directory): produce, then run.
  const words = ['kafka', 'streams', 'Kafka', 'typescript', 'KAFKA', 'streams'];
  const produced = await run('npx', ['streams', 'produce', 'words'], project, words.map((w, i) => `user-${i}\t${w}\n`).join(''));
  t.regex(`${produced.stdout}${produced.stderr}`, /\b6 records\b/);

  // Detached: its own process group, which gets the Ctrl-C below as a terminal's foreground group does (npx and
  // the streams process under it alike).
  const app = start('npx', ['streams', 'run', 'topology.ts', '--from-beginning'], project, { detached: true });
  app.child.stdin!.end();
  t.teardown(() => {
    try {
      process.kill(-app.child.pid!, 'SIGKILL'); // whatever of the group is left, if the test failed
    } catch {
      // ESRCH: all gone
    }
  });
  const expected = 'kafka=3 streams=2 typescript=1';
  /** Each word's latest count printed so far, in word order. */
  const latest = () => {
    const counts = new Map<string, number>();
    for (const line of app.stdout().split('\n').filter((l) => l.startsWith('{'))) {
      const r = JSON.parse(line) as { topic: string; key: string; value: number };
      if (r.topic === 'word-counts') counts.set(r.key, r.value);
    }
    return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([w, n]) => `${w}=${n}`).join(' ');
  };
  for (const deadline = Date.now() + 90_000; latest() !== expected; ) {
    if (Date.now() > deadline || app.child.exitCode !== null) throw new Error(`npx streams run topology.ts did not print the counts.\nstdout: ${app.stdout()}\nstderr: ${app.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  phase('npx streams produce, run until the counts are printed');
  process.kill(-app.child.pid!, 'SIGINT');
  // 'close': once every process holding its output is gone, the streams process under npx included.
  const ended = await app.exited;
  t.regex(ended.stderr, /Running topology\.ts as application my-streams-app on the embedded log/);
  t.regex(ended.stderr, /"msg":"SIGINT: stopping/);
  t.regex(ended.stderr, /"msg":"Stopped: application my-streams-app committed and closed cleanly\."/);
  // npx's own status is its shell's: npm runs the bin through `sh -c`, and a /bin/sh that stays the bin's parent
  // (dash) also gets the terminal's SIGINT and dies of it once the bin has exited; npm then ends by the same signal.
  // Where sh execs the bin (bash), npx exits with the bin's 0. Either way the streams process stopped cleanly above.
  t.true(ended.code === 0 || ended.signal === 'SIGINT', `npx ended ${ended.code ?? ended.signal}`);
});
