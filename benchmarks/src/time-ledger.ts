/**
 * Where the kafka-streams suite's wall-clock time went: seconds per phase, summed over its runs, so that a run's fixed
 * costs (process start, topics, checks, cleanup) show beside its measured processing. Phases that are parts of
 * another (a check within the work between runs) name it: `within`.
 */
export interface TimeShare {
  readonly phase: string;
  readonly seconds: number;
  /** How many times the phase was entered (runs, loads, …). */
  readonly count: number;
  /** The phase this one is part of (its time is counted there too): not added to the total. */
  readonly within?: string;
}

/** The results file's `timing`: the whole run's wall-clock seconds and its phases. */
export interface SuiteTiming {
  readonly totalSec: number;
  readonly phases: readonly TimeShare[];
}

/** The phases whose names the suite uses, in the order the summary lists them. */
export const PHASES = {
  build: 'build the Java program',
  load: 'load the input (Java producer, W8 pairs; per shape)',
  embeddedTemplate: 'load the embedded log\'s input (per shape)',
  embeddedLoad: 'copy the embedded input log (per embedded run)',
  ready: 'run: spawn → measured phase (process start, connect, join)',
  process: 'run: measured processing',
  close: 'run: close (final commit)',
  exit: 'run: after the close → process exited',
  between: 'between runs: check, cleanup, next topics',
  check: 'check the output',
  cleanup: 'delete the run\'s topics and group',
  create: 'create the output topic',
  latency: 'latency phase',
  profile: 'profiles (--profile)',
} as const;

export class TimeLedger {
  readonly #phases = new Map<string, { ms: number; count: number; within?: string }>();
  readonly #started = performance.now();

  /** Adds `ms` to `phase` (once more entered). */
  add(phase: string, ms: number, within?: string): void {
    const p = this.#phases.get(phase) ?? { ms: 0, count: 0, ...(within === undefined ? {} : { within }) };
    p.ms += Math.max(0, ms);
    p.count++;
    this.#phases.set(phase, p);
  }

  /** Runs `f`, its wall-clock time added to `phase` whether it succeeds or not. */
  async time<T>(phase: string, f: () => Promise<T>, within?: string): Promise<T> {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      this.add(phase, performance.now() - t0, within);
    }
  }

  /** The seconds of `phase` so far (0 when never entered). */
  seconds(phase: string): number {
    return (this.#phases.get(phase)?.ms ?? 0) / 1000;
  }

  /** The summary: every phase, then what no phase covers (the suite's own bookkeeping, waits between phases). */
  summary(): SuiteTiming {
    const totalMs = performance.now() - this.#started;
    const order = Object.values(PHASES) as string[];
    const rank = (name: string) => {
      const i = order.findIndex((o) => name === o || name.startsWith(`${o}:`));
      return i === -1 ? order.length : i;
    };
    const phases = [...this.#phases].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([phase, p]): TimeShare => ({ phase, seconds: round(p.ms / 1000), count: p.count, ...(p.within === undefined ? {} : { within: p.within }) }));
    const covered = [...this.#phases.values()].filter((p) => p.within === undefined).reduce((n, p) => n + p.ms, 0);
    return { totalSec: round(totalMs / 1000), phases: [...phases, { phase: 'the rest (no phase)', seconds: round((totalMs - covered) / 1000), count: 1 }] };
  }
}

/** The summary as lines for the progress log: each phase's seconds and share of the total. */
export function timingLines(t: SuiteTiming): string[] {
  const width = Math.max(...t.phases.map((p) => p.phase.length + (p.within === undefined ? 0 : 2)));
  return [
    `where the time went (${(t.totalSec / 60).toFixed(1)} min in all):`,
    ...t.phases.map((p) => {
      const name = (p.within === undefined ? p.phase : `  ${p.phase}`).padEnd(width);
      const share = p.within === undefined ? `${((p.seconds / Math.max(t.totalSec, 1e-9)) * 100).toFixed(1).padStart(5)} %` : '  (within)';
      return `  ${name} ${p.seconds.toFixed(1).padStart(8)} s ${share}  ×${p.count}`;
    }),
  ];
}

const round = (s: number) => Math.round(s * 10) / 10;
