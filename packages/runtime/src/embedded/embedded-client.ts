import type { KafkaClient } from '../client/kafka-client.ts';
import type { GroupConsumer, GroupConsumerOptions } from '../client/group-consumer.ts';
import type { AssignedConsumer, AssignedConsumerOptions } from '../client/assigned-consumer.ts';
import type { KafkaProducer, ProducerOptions } from '../client/kafka-producer.ts';
import type { EmbeddedLog } from './embedded-log.ts';
import { EmbeddedAdmin } from './embedded-admin.ts';
import { EmbeddedGroupConsumer } from './embedded-group-consumer.ts';
import { EmbeddedAssignedConsumer } from './embedded-assigned-consumer.ts';
import { EmbeddedProducer } from './embedded-producer.ts';

interface Closeable {
  close(): Promise<void>;
}

/**
 * The client seam over the embedded log: KafkaStreams runs on it unchanged (`new KafkaStreams(topology, config,
 * { clientFactory: embeddedClientFactory(log) })`). This process owns every partition: the group consumer is the
 * group's only member.
 *
 * Exactly-once by construction (`exactlyOnceByConstruction`): the runtime produces through one transactional
 * producer and commits its transaction with the input offsets, which the log writes as one RocksDB WriteBatch —
 * outputs, changelog records and offsets together (LogTransaction). So nothing a crash interrupts is half there:
 * the records of an uncommitted transaction are never written, and the input they came from is read again.
 *
 * The log belongs to whoever opened it: closing the client closes the roles it handed out, not the log.
 */
export class EmbeddedClient implements KafkaClient {
  readonly exactlyOnceByConstruction = true;
  private readonly roles = new Set<Closeable>();

  constructor(readonly log: EmbeddedLog) {}

  admin(): EmbeddedAdmin {
    return this.track(new EmbeddedAdmin(this.log));
  }

  groupConsumer(options: GroupConsumerOptions): GroupConsumer {
    return this.track(new EmbeddedGroupConsumer(this.log, options));
  }

  /** The options' isolation changes nothing (only committed records are readable); nothing is fetched ahead. */
  assignedConsumer(_options?: AssignedConsumerOptions): AssignedConsumer {
    return this.track(new EmbeddedAssignedConsumer(this.log));
  }

  producer(options: ProducerOptions): KafkaProducer {
    return this.track(new EmbeddedProducer(this.log, options));
  }

  async close(): Promise<void> {
    const roles = [...this.roles];
    this.roles.clear();
    await Promise.allSettled(roles.map((r) => r.close()));
  }

  private track<T extends Closeable>(role: T): T {
    this.roles.add(role);
    return role;
  }
}
