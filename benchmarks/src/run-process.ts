import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseResultLine, type RunResult } from './run-result.ts';
import type { RunSpec } from './run-spec.ts';
import { RunWorker } from './run-worker.ts';

const NODE_RUN_FILE = join(dirname(fileURLToPath(import.meta.url)), 'kafka-bench-run.ts');

/** A run's result and the wall-clock time its process was spawned at (start-up is first record minus that). */
export interface SpawnedRun<T = RunResult> {
  readonly result: T;
  readonly spawnedAtEpochMs: number;
}

/**
 * Runs `command args` as a run of its own, its stderr passed through, and reads its `RESULT {json}` line; a process
 * that fails or prints no result rejects with what it printed.
 */
export function spawnRun<T = RunResult>(name: string, command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<SpawnedRun<T>> {
  return new Promise((resolve, reject) => {
    const spawnedAtEpochMs = Date.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env === undefined ? {} : { env }) });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s: string) => (out += s));
    child.stderr.on('data', (s: string) => {
      err += s;
      process.stderr.write(s);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result = parseResultLine<T>(out);
      if (code !== 0 || result === undefined) {
        const printed = [out.trim(), err.trim()].filter((s) => s !== '').join('\n');
        return reject(new Error(`${name}: the run's process exited with ${code ?? signal}${result === undefined ? ' and printed no result' : ''}.${printed ? `\n${printed}` : ''}`));
      }
      resolve({ result, spawnedAtEpochMs });
    });
  });
}

/** One Node run (kafka-bench-run.ts): ts-streams on a workload, or a raw Node client. */
export function runNode(spec: RunSpec): Promise<SpawnedRun> {
  return spawnRun(`${spec.workload} (${spec.applicationId})`, process.execPath, [...process.execArgv, NODE_RUN_FILE, JSON.stringify(spec)]);
}

/** One Node process (kafka-bench-run.ts --serve) doing every run in turn: the smoke run's. close() when done. */
export function nodeWorker(): { run: (spec: RunSpec) => Promise<SpawnedRun>; close: () => Promise<void> } {
  const worker = new RunWorker('the Node worker (kafka-bench-run.ts --serve)', process.execPath, [...process.execArgv, NODE_RUN_FILE, '--serve']);
  return { run: (spec) => worker.run(`${spec.workload} (${spec.applicationId})`, JSON.stringify(spec)), close: () => worker.close() };
}
