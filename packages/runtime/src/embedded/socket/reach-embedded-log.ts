import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { ClientError } from '../../errors/client-error.ts';
import { EmbeddedLogLockedError } from '../../errors/embedded-log-locked-error.ts';
import type { EmbeddedLog, EmbeddedLogOptions } from '../embedded-log.ts';
import { embeddedLogDir, openEmbeddedLog } from '../open-embedded-log.ts';
import { LogSocketClient } from './log-socket-client.ts';
import { logSocketPath } from './socket-path.ts';

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
 * neither answers nor lets go in that time is a ClientError 'unreachable' naming its pid, the socket and the fix.
 * The log held by this very process is EmbeddedLogLockedError (sameProcess), as EmbeddedLog.open throws it.
 */
export async function reachEmbeddedLog(stateDir: string, options: { readonly timeoutMs: number; readonly log?: EmbeddedLogOptions }): Promise<ReachedLog> {
  const deadline = Date.now() + options.timeoutMs;
  const path = logSocketPath(embeddedLogDir(stateDir));
  for (;;) {
    let holder: EmbeddedLogLockedError;
    try {
      return { kind: 'opened', log: await openEmbeddedLog(stateDir, options.log) };
    } catch (e) {
      if (!(e instanceof EmbeddedLogLockedError) || e.sameProcess) throw e;
      holder = e;
    }
    let last: Error;
    try {
      return { kind: 'served', client: await LogSocketClient.connect(path), holder };
    } catch (e) {
      // It answered, and refused (another protocol version): trying again changes nothing. Anything else (nobody
      // listens, the server stopping or stuck) may pass.
      if (e instanceof ClientError && e.reason === 'fatal') throw e;
      last = e as Error;
    }
    if (Date.now() >= deadline) {
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
}
