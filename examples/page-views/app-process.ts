// The page-views app as a child process (page-views-process.ts) seen from a test: started with the runtime's
// sources (as `npm run example` runs them), its JSON lines collected, waited on, signalled.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StreamsConfig, StreamsMetrics, StreamsState } from '@ts-streams/runtime';
import type { PageViewsTopics } from './topology.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./page-views-process.ts', import.meta.url));

/** A line the process wrote: a log line, or a state change with the metrics at that moment. */
export type AppEvent = { readonly log: string } | { readonly state: StreamsState; readonly metrics: StreamsMetrics };

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class AppProcess {
  readonly events: AppEvent[] = [];
  /** Everything it wrote, stderr included, for the test's log. */
  readonly output: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private exit: Exit | undefined;

  constructor(
    readonly name: string,
    config: StreamsConfig & { readonly topics: PageViewsTopics },
    private readonly log: (line: string) => void,
  ) {
    this.child = spawn(process.execPath, ['--conditions=@ts-streams/source', '--import', 'tsx', SCRIPT, JSON.stringify(config)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        this.note(`exited (code ${code}, signal ${signal})`);
        resolve(this.exit);
        this.wake();
      });
    });
    lines(this.child.stdout!, (line) => {
      let event: AppEvent;
      try {
        event = JSON.parse(line) as AppEvent;
      } catch {
        this.note(line);
        return;
      }
      this.events.push(event);
      this.note('log' in event ? event.log : `${event.state} tasks [${Object.keys(event.metrics.tasks).join(',')}] restored ${restoredRecords(event.metrics)} commits ${event.metrics.commits}`);
      this.wake();
    });
    lines(this.child.stderr!, (line) => this.note(`stderr: ${line}`));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Its state changes so far, in order, with the metrics of each. */
  states(): { readonly state: StreamsState; readonly metrics: StreamsMetrics }[] {
    return this.events.flatMap((e) => ('state' in e ? [e] : []));
  }

  /** The last state change written. */
  last(): { readonly state: StreamsState; readonly metrics: StreamsMetrics } | undefined {
    return this.states().at(-1);
  }

  /**
   * Resolves once `condition` holds (looked at after each line the process writes, and every 100 ms for conditions
   * over other processes too); rejects when the process exits first or `timeoutMs` passes, naming `what`.
   */
  waitFor<T>(what: string, condition: () => T | undefined | false, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = condition();
        if (found !== undefined && found !== false) {
          done();
          resolve(found);
        } else if (this.exit !== undefined) {
          done();
          reject(new Error(`${this.name} exited (code ${this.exit.code}, signal ${this.exit.signal}) before ${what}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: ${what} not reached within ${timeoutMs} ms`));
      }, timeoutMs);
      const poll = setInterval(check, 100);
      const done = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Waits until the process is RUNNING (its last state change) and returns the tasks it runs. */
  async running(timeoutMs: number, condition: (tasks: string[]) => boolean = () => true): Promise<string[]> {
    return this.waitFor('RUNNING', () => {
      const last = this.last();
      if (last?.state !== 'RUNNING') return undefined;
      const tasks = Object.keys(last.metrics.tasks).sort();
      return condition(tasks) ? tasks : undefined;
    }, timeoutMs);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.exit === undefined) this.child.kill(signal);
  }

  private note(line: string): void {
    this.output.push(line);
    this.log(`${this.name}: ${line}`);
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}

/** Records restored from changelogs since the process started. */
export function restoredRecords(metrics: StreamsMetrics): number {
  return metrics.restored.reduce((n, r) => n + r.records, 0);
}

function lines(stream: NodeJS.ReadableStream, each: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const line of parts) if (line !== '') each(line);
  });
  stream.on('end', () => {
    if (rest !== '') each(rest);
  });
}
