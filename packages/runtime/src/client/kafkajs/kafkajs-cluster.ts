import type { Cluster, Kafka } from 'kafkajs';

/**
 * A kafkajs `Cluster` (its connections, metadata and low-level requests: Fetch, ListOffsets) of its own, outside any
 * consumer group. kafkajs has no public way to make one: its consumers and admin keep theirs private, and it has no
 * manual-assignment consumer (no assign()). It does hand its Cluster to the partition assigners of a consumer when it
 * creates the consumer, so we create a consumer that is never connected nor run, and keep the Cluster its assigner
 * factory is given. `Cluster` and `Broker#fetch` are in kafkajs's public type declarations (PartitionAssigner's config);
 * a kafkajs upgrade must keep them, which the integration tests check.
 *
 * The Cluster reads with `isolation` (kafkajs sets the isolation level per cluster: Fetch and ListOffsets use it).
 */
export function kafkajsCluster(kafka: Kafka, isolation: 'read_uncommitted' | 'read_committed'): Cluster {
  let captured: Cluster | undefined;
  kafka.consumer({
    // Never joins: the consumer is not run. The group id only satisfies kafkajs's check.
    groupId: 'ts-streams-unused-cluster-holder',
    readUncommitted: isolation === 'read_uncommitted',
    allowAutoTopicCreation: false,
    partitionAssigners: [
      ({ cluster }) => {
        captured = cluster;
        return {
          name: 'ts-streams-unused',
          version: 0,
          assign: () => Promise.resolve([]),
          protocol: () => ({ name: 'ts-streams-unused', metadata: Buffer.alloc(0) }),
        };
      },
    ],
  });
  if (captured === undefined) {
    throw new Error('kafkajs did not hand its Cluster to the partition assigner factory: this kafkajs version is not supported');
  }
  return captured;
}
