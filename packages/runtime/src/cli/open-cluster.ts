import type { KafkaClient } from '../client/kafka-client.ts';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { ClientLogSink } from '../client/kafkajs/kafkajs-logger.ts';
import { ClientError } from '../errors/client-error.ts';
import { CliError } from './cli-error.ts';
import { CONNECT_TIMEOUT_MS, clientFor, describeTarget, type Target } from './client-for.ts';

/** A client of the target and its admin, connected. */
export interface OpenCluster {
  readonly client: KafkaClient;
  readonly admin: KafkaAdmin;
  /** Closes the admin, then the client (and whatever roles it still has open). */
  close(): Promise<void>;
}

/**
 * Connects to the target (clientFor) through its admin. A broker that does not answer is one CliError naming the
 * address and the fix, after CONNECT_TIMEOUT_MS.
 */
export async function openCluster(target: Target, options: { readonly clientId: string; readonly logSink?: ClientLogSink }): Promise<OpenCluster> {
  const client = clientFor(target, options);
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
      const fix = target.kind === 'kafka'
        ? `Check that the broker is running and that --brokers names its host:port (for a local one, 'npm run kafka -- start' prints it).`
        : 'Check the state directory (--state-dir).';
      throw new CliError(`Cannot reach ${describeTarget(target)}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s${last}. ${fix}`, 1, { cause: e });
    }
    throw e;
  }
  return { client, admin, close };
}
