import type { KafkaClient } from '../client/kafka-client.ts';
import { KafkajsClient } from '../client/kafkajs/kafkajs-client.ts';
import { KafkatsClient } from '../client/kafkats/kafkats-client.ts';
import type { ClientLogSink } from '../client/kafkajs/kafkajs-logger.ts';
import { KAFKA_CLIENTS, type KafkaClientName } from '../app/streams-config.ts';
import { usageError } from './cli-error.ts';
import { choiceFlag } from './parse-flags.ts';
import { stateDirOf } from './state-dir.ts';

export { DEFAULT_STATE_DIR, stateDirOf } from './state-dir.ts';

/**
 * Where a command's topics live: a Kafka cluster (--brokers) or, without --brokers, the embedded single-process log
 * under the state directory. Every command reaches either through the client seam (KafkaClient), chosen here and
 * nowhere else.
 */
export type Target =
  | {
      readonly kind: 'kafka';
      readonly brokers: readonly string[];
      /** The client adapter (--client, or the configuration's client); default 'kafkajs'. */
      readonly client?: KafkaClientName;
    }
  | { readonly kind: 'embedded'; readonly stateDir: string };

/**
 * How long a command keeps trying to reach a broker before it stops with one message (the runtime's own default is
 * 30 s; a user at a terminal should hear sooner that the address is wrong).
 */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The target the flags choose: Kafka with --brokers (through the client adapter --client names, else `configured`),
 * else the embedded log in the state directory.
 */
export function targetOf(
  command: string,
  flags: { readonly brokers?: string | undefined; readonly 'state-dir'?: string | undefined; readonly client?: string | undefined },
  configured?: KafkaClientName,
): Target {
  const client = choiceFlag(command, 'client', flags.client, KAFKA_CLIENTS) ?? configured;
  if (flags.brokers === undefined) {
    if (flags.client !== undefined) {
      throw usageError(command, `--client chooses the Kafka client (${KAFKA_CLIENTS.join(', ')}) and goes with --brokers; the embedded log (no --brokers) needs none`);
    }
    return { kind: 'embedded', stateDir: stateDirOf(flags) };
  }
  const brokers = flags.brokers.split(',').map((b) => b.trim()).filter((b) => b !== '');
  const wrong = brokers.find((b) => !/^[^\s:/]+:\d{1,5}$/.test(b));
  if (brokers.length === 0 || wrong !== undefined) {
    throw usageError(command, `--brokers takes host:port, or several separated by commas (e.g. --brokers 127.0.0.1:9092); got '${flags.brokers}'`);
  }
  return client === undefined ? { kind: 'kafka', brokers } : { kind: 'kafka', brokers, client };
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

/**
 * What KafkaStreams' config says of where it runs: the brokers (and client adapter) on Kafka; nothing on the embedded
 * log (its clientFactory is the connection).
 */
export function streamsConnection(target: Target): { readonly bootstrapServers?: readonly string[]; readonly client?: KafkaClientName } {
  if (target.kind !== 'kafka') return {};
  return target.client === undefined ? { bootstrapServers: target.brokers } : { bootstrapServers: target.brokers, client: target.client };
}

/**
 * A client of a Kafka target, of the adapter it names (the embedded log's clients come from the log openCluster
 * opens). `logSink` takes kafkajs's log; the @kafkats/client adapter logs nothing of its client's.
 */
export function kafkaClient(target: Target & { readonly kind: 'kafka' }, options: { readonly clientId: string; readonly logSink?: ClientLogSink }): KafkaClient {
  if (target.client === 'kafkats') {
    return new KafkatsClient({ bootstrapServers: target.brokers, clientId: options.clientId, connectTimeoutMs: CONNECT_TIMEOUT_MS });
  }
  return new KafkajsClient({
    bootstrapServers: target.brokers,
    clientId: options.clientId,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    ...(options.logSink === undefined ? {} : { logSink: options.logSink }),
  });
}
