import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { SpawnedRun } from './run-process.ts';
import type { RunResult } from './run-result.ts';

/**
 * One process that does many runs, one after another (the suite's smoke run: a JVM or a Node start per run would
 * make it minutes long): each run is a line on the worker's stdin, answered by a `RESULT {json}` or a `FAILED reason`
 * line on its stdout (Serve.java; kafka-bench-run.ts --serve). Its stderr is passed through. Measuring nothing: the
 * CPU seconds and peak RSS a worker reports are the process's so far, and its start-up is the request's.
 */
export class RunWorker {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #answers: string[] = [];
  #waiting: ((line: string | undefined) => void) | undefined;
  #exited: string | undefined;
  /** Runs are sent one at a time: the next waits for the previous answer. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly name: string, command: string, args: readonly string[]) {
    this.#child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.on('data', (b: Buffer) => process.stderr.write(b));
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      if (!line.startsWith('RESULT ') && !line.startsWith('FAILED ')) return;
      this.#answers.push(line);
      this.#wake();
    });
    this.#child.on('error', (e) => this.#exit(`${name} could not start: ${e.message}`));
    this.#child.on('close', (code, signal) => this.#exit(`${name} exited with ${code ?? signal}`));
  }

  /** Sends one run (a line: no newline in it) and waits for its answer; a FAILED answer or a dead worker rejects. */
  run<T = RunResult>(title: string, line: string): Promise<SpawnedRun<T>> {
    const next = this.#queue.then(() => this.#request<T>(title, line));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Ends the worker's stdin (it exits when it has read it all) and waits for it to exit. */
  async close(): Promise<void> {
    await this.#queue;
    if (this.#exited !== undefined) return;
    const exited = new Promise((resolve) => this.#child.once('close', resolve));
    this.#child.stdin.end();
    await exited;
  }

  async #request<T>(title: string, line: string): Promise<SpawnedRun<T>> {
    if (line.includes('\n')) throw new Error(`${title}: a run's request must be one line.`);
    if (this.#exited !== undefined) throw new Error(`${title}: ${this.#exited} before this run.`);
    const spawnedAtEpochMs = Date.now();
    this.#child.stdin.write(`${line}\n`);
    const answer = this.#answers.shift() ?? await new Promise<string | undefined>((resolve) => (this.#waiting = resolve));
    if (answer === undefined) throw new Error(`${title}: ${this.#exited ?? `${this.name} stopped`} without answering.`);
    if (answer.startsWith('FAILED ')) throw new Error(`${title}: ${answer.slice('FAILED '.length)}`);
    return { result: JSON.parse(answer.slice('RESULT '.length)) as T, spawnedAtEpochMs };
  }

  #wake(): void {
    const waiting = this.#waiting;
    if (waiting === undefined) return;
    this.#waiting = undefined;
    waiting(this.#answers.shift());
  }

  #exit(reason: string): void {
    this.#exited ??= reason;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.(undefined);
  }
}
