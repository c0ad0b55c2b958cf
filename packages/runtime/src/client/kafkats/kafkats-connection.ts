import { Cluster, type Logger } from '@kafkats/client';
import { noBrokerAnswered } from '../no-broker-answered.ts';
import { reasonOf, toClientError } from './kafkats-errors.ts';

/** How the roles of a KafkatsClient reach the cluster. */
export interface KafkatsConnection {
  /** The bootstrap addresses (host:port). */
  readonly bootstrapServers: readonly string[];
  readonly clientId: string;
  /** The most time a role's connect() keeps trying to reach a broker before it fails with 'unreachable'. */
  readonly connectTimeoutMs: number;
  /** A request without an answer by then fails as 'unreachable'. */
  readonly requestTimeoutMs: number;
  /** Where @kafkats/client's own log goes (structured); undefined: nowhere. */
  readonly logger?: Logger;
}

const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1_000;

/**
 * A new @kafkats/client Cluster (its own connections: a control and a fetch connection per broker, so that a role's
 * Fetch waiting on the broker never delays its other requests), not connected yet.
 */
export function newCluster(connection: KafkatsConnection): Cluster {
  return new Cluster({
    brokers: [...connection.bootstrapServers],
    clientId: connection.clientId,
    connectionTimeoutMs: Math.min(3_000, connection.connectTimeoutMs),
    requestTimeoutMs: connection.requestTimeoutMs,
    ...(connection.logger === undefined ? {} : { logger: connection.logger }),
  });
}

/**
 * Connects the cluster and every broker its metadata lists, one after the other. @kafkats/client's Cluster#getBroker
 * hands a broker that is connecting to a second caller as soon as its sockets are up, before its API versions are
 * negotiated, and a request on it then fails ("API 9 version 0 not supported"): a role whose first requests go out
 * together (a lag: ListOffsets and OffsetFetch) met it. Brokers connected up front are not connecting any more.
 */
async function connectBrokers(cluster: Cluster): Promise<void> {
  await cluster.connect();
  for (const nodeId of cluster.getMetadata()?.brokers.keys() ?? []) await cluster.getBroker(nodeId);
}

/**
 * Connects the cluster (bootstrap, then metadata), retrying 'unreachable' failures with a doubling backoff for at
 * most connectTimeoutMs; then rejects with one ClientError 'unreachable' naming the address and the fix. Any other
 * failure rejects at once.
 */
export async function connectCluster(cluster: Cluster, connection: KafkatsConnection, what: string): Promise<void> {
  const deadline = Date.now() + connection.connectTimeoutMs;
  let backoff = FIRST_BACKOFF_MS;
  let last: unknown;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), remaining)));
    try {
      const outcome = await Promise.race([connectBrokers(cluster).then(() => 'connected' as const), timedOut]);
      if (outcome === 'connected') return;
      last = new Error(`no answer within ${connection.connectTimeoutMs} ms`);
      break;
    } catch (error) {
      last = error;
      if (reasonOf(error) !== 'unreachable') throw toClientError(error, what);
      // A failed connect leaves the bootstrap brokers it made behind: start the next attempt clean.
      await cluster.disconnect().catch(() => undefined);
    } finally {
      clearTimeout(timer);
    }
    const pause = Math.min(backoff, deadline - Date.now());
    if (pause <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
  await cluster.disconnect().catch(() => undefined);
  throw noBrokerAnswered(what, connection.bootstrapServers, connection.connectTimeoutMs, last);
}
