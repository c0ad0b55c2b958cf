import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import type { RunResult } from './run-result.ts';

/** The GC pauses (as Node reports them) while counting. */
class GcPauses {
  minor = 0;
  major = 0;
  #counting = false;
  readonly #observer = new PerformanceObserver((list) => {
    if (!this.#counting) return;
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) this.minor += e.duration;
      else this.major += e.duration;
    }
  });

  constructor() {
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  start(): void {
    this.#counting = true;
  }

  /** Stops counting (entries are delivered asynchronously: a turn of the event loop first). */
  async stop(): Promise<{ minor: number; major: number }> {
    await new Promise((resolve) => setImmediate(resolve));
    this.#counting = false;
    this.#observer.disconnect();
    return { minor: this.minor, major: this.major };
  }
}

/** V8's sampling profiler over the measured phase only (module loading and joining would swamp a short run). */
class PhaseProfiler {
  #session: Session | undefined;

  constructor(private readonly file: string | undefined) {}

  async start(): Promise<void> {
    if (this.file === undefined) return;
    this.#session = new Session();
    this.#session.connect();
    await this.#session.post('Profiler.enable');
    await this.#session.post('Profiler.setSamplingInterval', { interval: 500 });
    await this.#session.post('Profiler.start');
  }

  async stop(): Promise<void> {
    if (this.#session === undefined) return;
    const { profile } = await this.#session.post('Profiler.stop');
    writeFileSync(this.file!, JSON.stringify(profile));
    this.#session.disconnect();
    this.#session = undefined;
  }
}

/**
 * The measured phase of a run in this process: begin() when the partitions are assigned (or the first send),
 * firstRecord() when the first input record went through, end() when every one did, closed() after the close.
 * CPU seconds are the process's (user + system, all threads), GC pauses and the optional CPU profile the phase's.
 */
export class RunPhase {
  #begun = 0;
  #ended = 0;
  #endedAtEpochMs = 0;
  #closed = 0;
  #firstRecordAt = 0;
  #cpu0: NodeJS.CpuUsage = process.cpuUsage();
  #cpuEnd: NodeJS.CpuUsage | undefined;
  #gcMs = { minor: 0, major: 0 };
  readonly #gc = new GcPauses();
  readonly #profiler: PhaseProfiler;

  constructor(profile: string | undefined) {
    this.#profiler = new PhaseProfiler(profile);
  }

  get begun(): boolean {
    return this.#begun !== 0;
  }

  async begin(): Promise<void> {
    this.#begun = performance.now();
    this.#cpu0 = process.cpuUsage();
    this.#gc.start();
    await this.#profiler.start();
  }

  /** Notes the first record's wall-clock time (the parent's spawn time is the other end of start-up). */
  firstRecord(): void {
    if (this.#firstRecordAt === 0) this.#firstRecordAt = Date.now();
  }

  async end(): Promise<void> {
    this.#ended = performance.now();
    this.#endedAtEpochMs = Date.now();
    this.#cpuEnd = process.cpuUsage(this.#cpu0);
    this.#gcMs = await this.#gc.stop();
    await this.#profiler.stop();
  }

  closed(): void {
    this.#closed = performance.now();
  }

  /** The run's result; startMs counts from the process's start (performance's time origin), module loading included. */
  result(r: { workload: string; applicationId: string; processed: number; dropped?: number; pendingAtProcessed?: number; matched?: number }): RunResult {
    const cpuAll = process.cpuUsage(this.#cpu0);
    return {
      workload: r.workload, applicationId: r.applicationId, processed: r.processed, dropped: r.dropped ?? 0,
      startMs: this.#begun, ...(this.#firstRecordAt === 0 ? {} : { firstRecordAtEpochMs: this.#firstRecordAt }),
      processMs: this.#ended - this.#begun, processedAtEpochMs: this.#endedAtEpochMs, closeMs: this.#closed - this.#ended,
      cpuSeconds: cpuSecs(this.#cpuEnd!), cpuSecondsWithClose: cpuSecs(cpuAll),
      maxRssBytes: process.resourceUsage().maxRSS * 1024, // kilobytes on every platform
      pendingAtProcessed: r.pendingAtProcessed ?? 0, gcMs: this.#gcMs,
      ...(r.matched === undefined ? {} : { matched: r.matched }),
    };
  }
}

function cpuSecs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1e6;
}
