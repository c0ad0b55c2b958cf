import type { KafkaAdmin } from './kafka-admin.ts';
import type { GroupConsumer, GroupConsumerOptions } from './group-consumer.ts';
import type { AssignedConsumer, AssignedConsumerOptions } from './assigned-consumer.ts';
import type { KafkaProducer, ProducerOptions } from './kafka-producer.ts';

/**
 * The client seam: everything the runtime does with Kafka goes through these roles, so that it does not depend on
 * one client library. Adapters: kafkajs (the design's client), @kafkats/client (faster, no custom assignor yet), and
 * the embedded single-process log (issue 16), where one process owns every partition and a commit can be one
 * atomic write. An adapter is made from its own connection settings (bootstrap servers, client id, …); the roles it
 * hands out share them.
 *
 * Roles are created synchronously and connect on their first call (or connect()). The runtime closes each role it
 * created, then the client.
 */
export interface KafkaClient {
  /**
   * True when the client makes an application exactly-once by construction, whatever processingGuarantee says: the
   * embedded log, where one process owns every partition and committing a transaction — outputs, changelog records
   * and the input offsets — is one atomic write. The runtime then produces through one transactional producer
   * (transactionalId = the applicationId) and commits its transaction with the input offsets instead of committing
   * them through the group, and checkpoints as Kafka Streams under exactly-once (only on a clean close: a crash
   * leaves no checkpoint, and the stores are rebuilt from their changelogs). Absent on Kafka adapters.
   */
  readonly exactlyOnceByConstruction?: boolean;
  admin(): KafkaAdmin;
  groupConsumer(options: GroupConsumerOptions): GroupConsumer;
  assignedConsumer(options: AssignedConsumerOptions): AssignedConsumer;
  producer(options: ProducerOptions): KafkaProducer;
  /** Closes whatever the roles left open (connections). Idempotent. */
  close(): Promise<void>;
}
