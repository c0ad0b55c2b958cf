import { resolve } from 'node:path';
import type { KafkaClient } from '../client/kafka-client.ts';
import { KafkajsClient } from '../client/kafkajs/kafkajs-client.ts';
import type { ClientLogSink } from '../client/kafkajs/kafkajs-logger.ts';
import { usageError } from './cli-error.ts';

/**
 * Where a command's topics live: a Kafka cluster (--brokers) or, without --brokers, the embedded single-process log
 * under the state directory. Every command reaches either through the client seam (KafkaClient), chosen here and
 * nowhere else.
 */
export type Target =
  | { readonly kind: 'kafka'; readonly brokers: readonly string[] }
  | { readonly kind: 'embedded'; readonly stateDir: string };

/** The state directory when --state-dir is not given: `.streams/` in the working directory. */
export const DEFAULT_STATE_DIR = '.streams';

/**
 * How long a command keeps trying to reach a broker before it stops with one message (the runtime's own default is
 * 30 s; a user at a terminal should hear sooner that the address is wrong).
 */
export const CONNECT_TIMEOUT_MS = 10_000;

/** The state directory the flags name (absolute). */
export function stateDirOf(flags: { readonly 'state-dir'?: string | undefined }): string {
  return resolve(flags['state-dir'] ?? DEFAULT_STATE_DIR);
}

/** The target the flags choose: Kafka with --brokers, else the embedded log in the state directory. */
export function targetOf(command: string, flags: { readonly brokers?: string | undefined; readonly 'state-dir'?: string | undefined }): Target {
  if (flags.brokers === undefined) return { kind: 'embedded', stateDir: stateDirOf(flags) };
  const brokers = flags.brokers.split(',').map((b) => b.trim()).filter((b) => b !== '');
  const wrong = brokers.find((b) => !/^[^\s:/]+:\d{1,5}$/.test(b));
  if (brokers.length === 0 || wrong !== undefined) {
    throw usageError(command, `--brokers takes host:port, or several separated by commas (e.g. --brokers 127.0.0.1:9092); got '${flags.brokers}'`);
  }
  return { kind: 'kafka', brokers };
}

/**
 * Whether a topic that does not exist is created when a command writes to it or a topology reads it. On the embedded
 * log, yes (with EMBEDDED_TOPIC_PARTITIONS partitions, and a line saying so): it is the user's own local log. On Kafka,
 * never: a missing input topic stays an error, as in Kafka Streams, since its partition count is the operator's call.
 */
export function createsMissingTopics(target: Target): boolean {
  return target.kind === 'embedded';
}

/** The partition count of a topic the embedded log creates on first use. */
export const EMBEDDED_TOPIC_PARTITIONS = 4;

/** The target in a few words, for messages: "Kafka at 127.0.0.1:9092" or "the embedded log in /x/.streams". */
export function describeTarget(target: Target): string {
  return target.kind === 'kafka' ? `Kafka at ${target.brokers.join(',')}` : `the embedded log in ${target.stateDir}`;
}

/** What KafkaStreams' config says of where it runs: the brokers on Kafka; nothing on the embedded log (its clientFactory is the connection). */
export function streamsConnection(target: Target): { readonly bootstrapServers?: readonly string[] } {
  return target.kind === 'kafka' ? { bootstrapServers: target.brokers } : {};
}

/** A kafkajs client of a Kafka target (the embedded log's clients come from the log openCluster opens). */
export function kafkaClient(target: Target & { readonly kind: 'kafka' }, options: { readonly clientId: string; readonly logSink?: ClientLogSink }): KafkaClient {
  return new KafkajsClient({
    bootstrapServers: target.brokers,
    clientId: options.clientId,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    ...(options.logSink === undefined ? {} : { logSink: options.logSink }),
  });
}
