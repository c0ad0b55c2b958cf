import { join } from 'node:path';
import type { ClientFactory } from '../app/kafka-streams.ts';
import { EmbeddedLog, type EmbeddedLogOptions } from './embedded-log.ts';
import { EmbeddedClient } from './embedded-client.ts';

/**
 * Where the embedded log lives under a state directory (`--state-dir`, default `.streams/`): `<stateDir>/.log`, beside
 * the applications' own directories (`<stateDir>/<applicationId>`; so '.log' is not an application id to use).
 */
export function embeddedLogDir(stateDir: string): string {
  return join(stateDir, '.log');
}

/**
 * Opens the embedded log of a state directory (see embeddedLogDir), locked for this process: a second process gets
 * EmbeddedLogLockedError naming the pid that holds it.
 */
export function openEmbeddedLog(stateDir: string, options?: EmbeddedLogOptions): Promise<EmbeddedLog> {
  return EmbeddedLog.open(embeddedLogDir(stateDir), options);
}

/**
 * The client factory that runs a KafkaStreams on the log: `new KafkaStreams(topology, { applicationId, stateDir },
 * { clientFactory: embeddedClientFactory(log) })`. Each application gets its own EmbeddedClient; the log stays
 * open when they close (its opener closes it).
 */
export function embeddedClientFactory(log: EmbeddedLog): ClientFactory {
  return () => new EmbeddedClient(log);
}
