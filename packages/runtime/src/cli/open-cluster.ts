import type { KafkaClient } from '../client/kafka-client.ts';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { ClientLogSink } from '../client/kafkajs/kafkajs-logger.ts';
import type { ClientFactory } from '../app/kafka-streams.ts';
import { ClientError } from '../errors/client-error.ts';
import { CliError } from './cli-error.ts';
import { CONNECT_TIMEOUT_MS, describeTarget, kafkaClient, type Target } from './client-for.ts';
import { openEmbeddedCluster, type ServeLog } from './open-embedded-cluster.ts';

/** A client of the target and its admin, connected. */
export interface OpenCluster {
  readonly client: KafkaClient;
  readonly admin: KafkaAdmin;
  /**
   * Where a KafkaStreams on this target gets its clients: new kafkajs clients on Kafka; on the embedded log, clients
   * of the log opened here (one process owns it, so the application shares it with the command).
   */
  readonly clientFactory: ClientFactory;
  /** Closes the admin, then the client (and whatever roles it still has open), then the embedded log if opened. */
  close(): Promise<void>;
}

/** Who opens the cluster, for the message when the embedded log is held by another process. */
export type Opener = 'run' | 'command';

/**
 * Connects to the target through its admin. On Kafka, a broker that does not answer is one CliError naming the
 * address and the fix, after CONNECT_TIMEOUT_MS. On the embedded log, see openEmbeddedCluster: `streams run` opens
 * it (and, given `serve`, serves it on its socket); the other commands open it, or reach it through that run.
 */
export async function openCluster(
  target: Target,
  options: { readonly clientId: string; readonly logSink?: ClientLogSink; readonly opener?: Opener; readonly serve?: ServeLog },
): Promise<OpenCluster> {
  if (target.kind === 'embedded') return openEmbeddedCluster(target.stateDir, options);
  const client = kafkaClient(target, options);
  const admin = client.admin();
  const close = async () => {
    await admin.close().catch(() => undefined);
    await client.close().catch(() => undefined);
  };
  try {
    await admin.connect();
  } catch (e) {
    await close();
    if (e instanceof ClientError && e.reason === 'unreachable') {
      const last = e.cause instanceof Error && !e.cause.message.startsWith('no answer') ? ` (${e.cause.message})` : '';
      const fix = `Check that the broker is running and that --brokers names its host:port (for a local one, 'npm run kafka -- start' prints it).`;
      throw new CliError(`Cannot reach ${describeTarget(target)}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s${last}. ${fix}`, 1, { cause: e });
    }
    throw e;
  }
  return {
    client,
    admin,
    clientFactory: (resolved) => kafkaClient(target, { clientId: resolved.clientId, ...(options.logSink === undefined ? {} : { logSink: options.logSink }) }),
    close,
  };
}
