import type { KafkaAdmin } from '../client/kafka-admin.ts';
import { CliError } from './cli-error.ts';
import { EMBEDDED_TOPIC_PARTITIONS, createsMissingTopics, describeTarget, type Target } from './client-for.ts';

/**
 * The partition count of a topic about to be written to. A topic that does not exist is created where the target
 * does that (createsMissingTopics: the embedded log), with a line through `log`; on Kafka it is a CliError naming the
 * topic and how to create it.
 */
export async function ensureTopic(admin: KafkaAdmin, target: Target, topic: string, log: (line: string) => void): Promise<number> {
  const described = (await admin.describeTopics([topic])).get(topic);
  if (described !== undefined) return described.partitions;
  if (!createsMissingTopics(target)) throw missingTopic(target, topic);
  await admin.createTopics([{ name: topic, partitions: EMBEDDED_TOPIC_PARTITIONS, configs: {} }]);
  log(`Created topic ${topic} with ${EMBEDDED_TOPIC_PARTITIONS} partitions on ${describeTarget(target)}.`);
  return EMBEDDED_TOPIC_PARTITIONS;
}

/** A topic the target does not have: what to do about it. */
export function missingTopic(target: Target, topic: string): CliError {
  const create = target.kind === 'kafka'
    ? `Check the name ('streams topics --brokers ${target.brokers.join(',')}' lists the topics), or create it: kafka-topics.sh --bootstrap-server ${target.brokers[0]} --create --topic ${topic} --partitions 4`
    : `Check the name ('streams topics' lists the topics)`;
  return new CliError(`Topic '${topic}' does not exist on ${describeTarget(target)}. ${create}.`);
}
