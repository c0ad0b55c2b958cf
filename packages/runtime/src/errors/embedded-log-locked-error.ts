import { StreamsError } from '@ts-streams/dsl';

/**
 * The embedded log's directory is held by another process (or another EmbeddedLog of this one): one process owns
 * the log. Names the holder's pid, so that a command can say which `streams run` to stop, or reach the log through
 * it instead. Not retriable as such: the holder has to go first.
 */
export class EmbeddedLogLockedError extends StreamsError {
  override name = 'EmbeddedLogLockedError';

  constructor(
    readonly dir: string,
    /** The process holding the log. */
    readonly pid: number,
    /** When it took the lock (ISO time). */
    readonly since: string,
    readonly sameProcess: boolean,
  ) {
    super(
      sameProcess
        ? `The embedded log in ${dir} is already open in this process (pid ${pid}): open it once and share the EmbeddedLog, or close the other one first.`
        : `The embedded log in ${dir} is held by process ${pid} (since ${since}): another 'streams run' on this state directory? ` +
            `Stop process ${pid}, or give this one another state directory (--state-dir).`,
      { retriable: false },
    );
  }
}
