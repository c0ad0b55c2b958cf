import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { ClientError } from '../../errors/client-error.ts';
import { EmbeddedLogLockedError } from '../../errors/embedded-log-locked-error.ts';
import { EmbeddedLog, type EmbeddedLogOptions } from '../embedded-log.ts';
import { embeddedLogDir, openEmbeddedLog } from '../open-embedded-log.ts';
import { LogSocketClient } from './log-socket-client.ts';
import { logSocketPath } from './socket-path.ts';
import { askForLog, logAskedFor } from './log-handover.ts';

/** How a command reached the embedded log of a state directory: opened here, or through the process holding it. */
export type ReachedLog =
  | { readonly kind: 'opened'; readonly log: EmbeddedLog }
  | { readonly kind: 'served'; readonly client: LogSocketClient; readonly holder: EmbeddedLogLockedError };

/** How often it tries again while the holder neither answers on its socket nor lets go of the log. */
const RETRY_MS = 100;

/**
 * Reaches the embedded log of a state directory for a command other than `streams run`: opens it when nobody holds
 * it (a lock naming a process that is gone is taken over: StateDirectory), else connects to the socket the holder
 * serves it on (LogServer, logSocketPath). Between the two, the holder may be starting (it takes the lock, then
 * listens) or stopping (it stops listening, then lets go): both are tried again until `timeoutMs`. A holder that
 * does not serve the log is asked for it (askForLog): a command following the runs (a `streams tail` that took the
 * log over from a run) lets go; one that neither answers nor lets go in that time is a ClientError 'unreachable'
 * naming its pid, the socket and the fix. While another process asks for the log, it is not opened here: it goes to
 * that process first (a `streams run` starting: this command then reaches the log through the run's socket).
 * The log held by this very process is EmbeddedLogLockedError (sameProcess), as EmbeddedLog.open throws it.
 */
export async function reachEmbeddedLog(stateDir: string, options: { readonly timeoutMs: number; readonly log?: EmbeddedLogOptions }): Promise<ReachedLog> {
  const deadline = Date.now() + options.timeoutMs;
  const logDir = embeddedLogDir(stateDir);
  const path = logSocketPath(logDir);
  let withdraw: (() => void) | undefined;
  try {
    for (;;) {
      const asking = logAskedFor(logDir);
      let holder: EmbeddedLogLockedError | undefined;
      if (asking === undefined) {
        try {
          return { kind: 'opened', log: await openEmbeddedLog(stateDir, options.log) };
        } catch (e) {
          if (!(e instanceof EmbeddedLogLockedError) || e.sameProcess) throw e;
          holder = e;
        }
      }
      let last: Error;
      try {
        const client = await LogSocketClient.connect(path);
        if (holder === undefined) {
          const held = EmbeddedLog.holder(logDir);
          holder = new EmbeddedLogLockedError(logDir, client.pid, held?.since ?? new Date().toISOString(), false);
        }
        return { kind: 'served', client, holder };
      } catch (e) {
        // It answered, and refused (another protocol version): trying again changes nothing. Anything else (nobody
        // listens, the server stopping, starting or stuck) may pass.
        if (e instanceof ClientError && e.reason === 'fatal') throw e;
        last = e as Error;
      }
      if (holder !== undefined) withdraw ??= askForLog(logDir);
      if (Date.now() >= deadline) {
        if (holder === undefined) {
          throw new ClientError(
            `Process ${asking} asked for the embedded log in ${logDir} first (a 'streams run' starting, or another streams command), and it neither serves the log on ${path} (${last.message}) nor let go of it within ${options.timeoutMs / 1000} s: ` +
              `let it finish, or stop it (Ctrl-C where it runs, or kill ${asking}), then run this command again.`,
            'unreachable',
            { cause: last },
          );
        }
        throw new ClientError(
          `The embedded log in ${holder.dir} is held by process ${holder.pid} (since ${holder.since}), which does not serve it on ${path} (${last.message}), ` +
            `so this command can neither open the log nor reach it through that process (it waited ${options.timeoutMs / 1000} s for either). ` +
            `Process ${holder.pid} is another command that opened the log itself (a 'streams tail' following a topic, a 'streams produce' reading the terminal, a reset asking to confirm), ` +
            `an application embedding the log, or a 'streams run' that is stuck: stop it (Ctrl-C where it runs, or kill ${holder.pid}) and run this command again. ` +
            `(While a 'streams run' holds the log, the other commands reach it through that run. If process ${holder.pid} is an unrelated process that got a dead holder's pid, delete ${join(holder.dir, '.lock')}, the lock naming it.)`,
          'unreachable',
          { cause: last },
        );
      }
      await delay(RETRY_MS);
    }
  } finally {
    withdraw?.();
  }
}
