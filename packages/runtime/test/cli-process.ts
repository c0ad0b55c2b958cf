// Runs the `streams` CLI as a user does: its bin (bin/streams.js) in a child process of plain node — no --import,
// no --conditions: the bin registers tsx and, in this checkout, resolves the packages to their sources itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const STREAMS_BIN = fileURLToPath(new URL('../bin/streams.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface CliOptions {
  readonly cwd?: string;
  /** Written to stdin, which is then closed (default: closed at once). */
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** The most the command may take (default 60 s): past it, it is killed and the promise rejects. */
  readonly timeoutMs?: number;
}

/** Runs `streams <args>` to its end. */
export function streams(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const running = startStreams(args, options);
  running.child.stdin!.end(options.input ?? '');
  return running.exited;
}

/** A `streams` process running: its output so far, and a way to wait for a line of it. */
export interface RunningCli {
  readonly child: ChildProcess;
  readonly exited: Promise<CliResult>;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr (as asked) has a match for `pattern`, polling; rejects after `timeoutMs`. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp | ((text: string) => boolean), timeoutMs?: number): Promise<void>;
}

export function startStreams(args: readonly string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [STREAMS_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const exited = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`streams ${args.join(' ')} did not end within ${timeoutMs} ms.\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: out, stderr: err });
    });
  });
  exited.catch(() => undefined);
  return {
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    async waitFor(stream, pattern, waitMs = 60_000) {
      const deadline = Date.now() + waitMs;
      const matches = (text: string) => (typeof pattern === 'function' ? pattern(text) : pattern.test(text));
      while (!matches(stream === 'stdout' ? out : err)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`streams ${args.join(' ')} ended (${child.exitCode ?? child.signalCode}) before its ${stream} matched ${String(pattern)}.\nstdout: ${out}\nstderr: ${err}`);
        }
        if (Date.now() > deadline) throw new Error(`streams ${args.join(' ')}: its ${stream} did not match ${String(pattern)} within ${waitMs} ms.\nstdout: ${out}\nstderr: ${err}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

/** Each word's count over the lines (what a word-count run must end with). */
export function counts(lines: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of lines.flatMap((l) => l.split(' ').filter((x) => x !== ''))) out.set(w, (out.get(w) ?? 0) + 1);
  return out;
}

/** The last count --print showed for each word. */
export function printed(stdout: string): Map<string, number> {
  const latest = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line) as { key: string; value: number };
    latest.set(r.key, r.value);
  }
  return latest;
}

/** Waits until the running CLI has printed `expected` as the latest count of each of its words. */
export async function printsCounts(cli: RunningCli, expected: ReadonlyMap<string, number>): Promise<void> {
  await cli.waitFor('stdout', (out) => [...expected].every(([w, n]) => printed(out).get(w) === n), 90_000);
}
