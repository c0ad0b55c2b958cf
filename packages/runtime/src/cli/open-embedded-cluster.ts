import type { EmbeddedLog } from '../embedded/embedded-log.ts';
import { ClientError } from '../errors/client-error.ts';
import { EmbeddedLogLockedError } from '../errors/embedded-log-locked-error.ts';
import { EmbeddedClient } from '../embedded/embedded-client.ts';
import { embeddedClientFactory, openEmbeddedLog } from '../embedded/open-embedded-log.ts';
import { LogServer } from '../embedded/socket/log-server.ts';
import { reachEmbeddedLog } from '../embedded/socket/reach-embedded-log.ts';
import { LogSocketClient } from '../embedded/socket/log-socket-client.ts';
import { logSocketPath } from '../embedded/socket/socket-path.ts';
import { askForLog } from '../embedded/socket/log-handover.ts';
import { setTimeout as delay } from 'node:timers/promises';
import { CliError } from './cli-error.ts';
import { CONNECT_TIMEOUT_MS } from './client-for.ts';
import type { OpenCluster, Opener } from './open-cluster.ts';

/** Where `streams run` says that it serves the log to the other commands, or that it cannot. */
export interface ServeLog {
  readonly info: (line: string) => void;
  readonly warn: (line: string) => void;
}

/**
 * The embedded log of a state directory, for a command (openCluster's embedded half).
 *
 * - `streams run` opens the log (this process then owns it until close) and, given `serve`, serves it on its socket
 *   (LogServer) for the other commands while it runs. A log another process holds is a CliError naming that
 *   process: one `streams run` per state directory.
 * - Every other command opens the log when no process holds it, and otherwise reaches it through the `streams run`
 *   holding it (LogSocketClient), with the same client seam: its code does not know which.
 */
export async function openEmbeddedCluster(stateDir: string, options: { readonly opener?: Opener; readonly serve?: ServeLog }): Promise<OpenCluster> {
  if (options.opener === 'run') return openAndServe(stateDir, options.serve);
  const reached = await reachEmbeddedLog(stateDir, { timeoutMs: CONNECT_TIMEOUT_MS });
  if (reached.kind === 'opened') return opened(reached.log, undefined);
  const { client } = reached;
  const admin = client.admin();
  return {
    client,
    admin,
    clientFactory: () => {
      throw new ClientError(`An application cannot run on the embedded log while process ${client.pid} holds it: stop that 'streams run' first.`, 'fatal');
    },
    close: async () => {
      await client.close();
    },
  };
}

/**
 * How long `streams run` waits for a command holding the log to let go: a command that follows the runs (a tail that
 * took the log over from the run before) hands it over within a poll; a short one (topics, lag) ends.
 */
const HANDOVER_MS = 5_000;
const HANDOVER_RETRY_MS = 100;

async function openAndServe(stateDir: string, serve: ServeLog | undefined): Promise<OpenCluster> {
  const log = await openForRun(stateDir);
  let server: LogServer | undefined;
  if (serve !== undefined) {
    try {
      server = await LogServer.listen(log);
      serve.info(`Serving the embedded log to the other streams commands (produce, tail, topics, lag, reset) on ${server.path} while this run holds it.`);
    } catch (e) {
      serve.warn(`${(e as Error)?.message ?? String(e)} The other streams commands cannot reach the log while this run holds it.`);
    }
  }
  return opened(log, server);
}

async function opened(log: EmbeddedLog, server: LogServer | undefined): Promise<OpenCluster> {
  const client = new EmbeddedClient(log);
  const admin = client.admin();
  await admin.connect();
  return {
    client,
    admin,
    clientFactory: embeddedClientFactory(log),
    close: async () => {
      // Stop serving first: the connections end while the log can still answer what is in flight.
      await server?.close().catch(() => undefined);
      await admin.close().catch(() => undefined);
      await client.close().catch(() => undefined);
      await log.close();
    },
  };
}

/**
 * Opens the log for `streams run`. Held by another run (it answers on the socket): refused at once, naming it. Held
 * by another command: the run asks for the log (askForLog) and tries again for HANDOVER_MS, then is refused naming
 * the holder.
 */
async function openForRun(stateDir: string): Promise<EmbeddedLog> {
  let withdraw: (() => void) | undefined;
  const deadline = Date.now() + HANDOVER_MS;
  try {
    for (;;) {
      try {
        return await openEmbeddedLog(stateDir);
      } catch (e) {
        if (!(e instanceof EmbeddedLogLockedError) || e.sameProcess) throw e;
        if (withdraw === undefined) {
          if (await serving(e.dir)) throw await heldBy(e);
          withdraw = askForLog(e.dir);
        }
        if (Date.now() >= deadline) throw await heldBy(e);
      }
      await delay(HANDOVER_RETRY_MS);
    }
  } finally {
    withdraw?.();
  }
}

async function serving(dir: string): Promise<boolean> {
  try {
    await (await LogSocketClient.connect(logSocketPath(dir))).close();
    return true;
  } catch {
    return false; // nobody answers there
  }
}

/**
 * Why `streams run` cannot have the log: the process holding it. A holder that answers on the log's socket is a
 * `streams run` (only a run serves it); one that does not is a command that opened the log itself — a `streams tail`
 * following a topic, a `streams produce` reading a terminal, a reset waiting for its confirmation — or an application
 * embedding the log: a run cannot take the log from it, so the message says to stop it and start the run first.
 */
async function heldBy(e: EmbeddedLogLockedError): Promise<CliError> {
  const message = (await serving(e.dir))
    ? `The embedded log in ${e.dir} is held by process ${e.pid} (since ${e.since}): another 'streams run' on this state directory. ` +
      `Stop process ${e.pid} (Ctrl-C where it runs, or kill ${e.pid}) first, or give this run another state directory (--state-dir). ` +
      `(The other commands — produce, tail, topics, lag — work while it runs: they reach the log through process ${e.pid}.)`
    : `The embedded log in ${e.dir} is held by process ${e.pid} (since ${e.since}), which is not a 'streams run' (it does not serve the log): ` +
      `another streams command that opened the log itself (a 'streams tail' following a topic, a 'streams produce' reading the terminal, a reset asking to confirm), ` +
      `or an application embedding the log. A run must own the log: stop process ${e.pid} (Ctrl-C where it runs, or kill ${e.pid}), start this run, ` +
      `then that command again — while a run holds the log, the other commands reach it through the run.`;
  return new CliError(message, 1, { cause: e });
}
