import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '@ts-streams/state';

/**
 * A `streams run` asking for the embedded log that another command holds (`<log dir>/.wanted`, naming the run's pid):
 * a command that follows the runs — a `streams tail` that took the log over when the run it read through stopped —
 * lets go of it when it sees this, and goes on through the run's socket; while a run asks, the other commands do not
 * open the log themselves (reachEmbeddedLog), so that it goes to the run. A request whose run is gone, or older than
 * STALE_MS (a run waits far less), is ignored.
 */
const FILE = '.wanted';
const STALE_MS = 30_000;

/** Says that this process (a `streams run`) wants the log in `logDir`; the returned function withdraws it. */
export function askForLog(logDir: string): () => void {
  const path = join(logDir, FILE);
  writeFileSync(path, JSON.stringify({ pid: process.pid }));
  return () => {
    try {
      if ((JSON.parse(readFileSync(path, 'utf8')) as { pid?: number }).pid === process.pid) rmSync(path, { force: true });
    } catch {
      // gone already
    }
  };
}

/** The pid of another process that asks for the log in `logDir` now, if any. */
export function logAskedFor(logDir: string): number | undefined {
  const path = join(logDir, FILE);
  try {
    if (Date.now() - statSync(path).mtimeMs > STALE_MS) return undefined;
    const { pid } = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown };
    return typeof pid === 'number' && pid !== process.pid && isProcessAlive(pid) ? pid : undefined;
  } catch {
    return undefined; // nobody asks (or it is being written: the next look sees it)
  }
}
