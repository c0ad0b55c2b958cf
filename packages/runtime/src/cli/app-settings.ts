import type { StreamsConfig } from '../app/streams-config.ts';
import { CliError } from './cli-error.ts';
import { DEFAULT_STATE_DIR, targetOf, type Target } from './client-for.ts';
import { loadConfigFile } from './config-file.ts';
import type { LoadedTopology } from './load-topology.ts';
import { display } from './load-module.ts';
import { resolve } from 'node:path';
import type { AppFlags } from './app-flags.ts';

/** An application's settings for `run`, `lag` and `reset`. */
export interface AppSettings {
  readonly applicationId: string;
  /** Absolute. */
  readonly stateDir: string;
  readonly target: Target;
  /** The other StreamsConfig options, merged (see appSettings). */
  readonly options: Partial<StreamsConfig>;
}

export { APP_FLAGS, type AppFlags } from './app-flags.ts';

/** Kafka Streams' application.id: what a topic name may contain, as it prefixes internal topics. */
const LEGAL_ID = /^[a-zA-Z0-9._-]+$/;

/**
 * Merges the configuration, each layer over the one before: the topology file's exported `config`, then the
 * `--config` file, then the flags (--app-id, --state-dir, --brokers). The application id defaults to the topology
 * file's folder name, the state directory to `.streams/`, and the cluster is --brokers, else a bootstrapServers of
 * the configuration, else the embedded log; on Kafka the client adapter is --client, else the configured client.
 */
export async function appSettings(command: string, loaded: LoadedTopology, flags: AppFlags): Promise<AppSettings> {
  const file = flags.config === undefined ? {} : await loadConfigFile(flags.config);
  const merged: Partial<StreamsConfig> = { ...loaded.config, ...file };
  const { applicationId: configuredId, bootstrapServers, stateDir: configuredStateDir, client: configuredClient, ...options } = merged;

  const applicationId = flags['app-id'] ?? configuredId ?? loaded.defaultAppId;
  if (typeof applicationId !== 'string' || !LEGAL_ID.test(applicationId)) {
    const from = flags['app-id'] !== undefined ? '--app-id' : configuredId !== undefined ? 'the configured applicationId' : `the folder name of ${display(loaded.file)}`;
    throw new CliError(
      `The application id ${JSON.stringify(applicationId)} (${from}) is not valid: it may hold letters, digits, '.', '_' and '-' only (it prefixes topic names). Pass one with --app-id.`,
      2,
    );
  }
  const configuredBrokers = bootstrapServers === undefined ? undefined : typeof bootstrapServers === 'string' ? bootstrapServers : [...bootstrapServers].join(',');
  const stateDir = resolve(flags['state-dir'] ?? (typeof configuredStateDir === 'string' ? configuredStateDir : DEFAULT_STATE_DIR));
  const target = targetOf(command, { brokers: flags.brokers ?? configuredBrokers, 'state-dir': stateDir, client: flags.client }, configuredClient);
  return { applicationId, stateDir, target, options };
}
