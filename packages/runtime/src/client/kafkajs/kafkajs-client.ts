import { Kafka } from 'kafkajs';
import type { KafkaClient } from '../kafka-client.ts';
import type { KafkaAdmin } from '../kafka-admin.ts';
import type { GroupConsumer, GroupConsumerOptions } from '../group-consumer.ts';
import type { AssignedConsumer, AssignedConsumerOptions } from '../assigned-consumer.ts';
import type { KafkaProducer, ProducerOptions } from '../kafka-producer.ts';
import type { ConnectPolicy } from './connect-within.ts';
import { kafkajsLogCreator, kafkajsLogLevel, type ClientLogLevel, type ClientLogSink } from './kafkajs-logger.ts';
import { KafkajsAdmin } from './kafkajs-admin.ts';
import { KafkajsGroupConsumer } from './kafkajs-group-consumer.ts';
import { KafkajsAssignedConsumer } from './kafkajs-assigned-consumer.ts';
import { KafkajsProducer } from './kafkajs-producer.ts';
import { bootstrapServerList } from '../bootstrap-servers.ts';

/** How the kafkajs adapter reaches the cluster. */
export interface KafkajsClientOptions {
  /** host:port addresses, as a list or comma-separated. */
  readonly bootstrapServers: string | readonly string[];
  readonly clientId?: string;
  /** The most time a role's connect() keeps trying to reach a broker before it fails with 'unreachable'. Default 30 s. */
  readonly connectTimeoutMs?: number;
  /** kafkajs's request timeout (a request without an answer by then fails as 'unreachable'). Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** What of kafkajs's own log reaches `logSink`: default 'warn' with a sink, else 'nothing'. */
  readonly logLevel?: ClientLogLevel;
  /** Where kafkajs's log goes (structured); default: nowhere (kafkajs would print JSON lines to the console). */
  readonly logSink?: ClientLogSink;
}

interface Closeable {
  close(): Promise<void>;
}

/**
 * The client seam over kafkajs 2.2.4 (the design's client: pure JS, custom partition assigners). One kafkajs `Kafka`
 * instance; each role makes its own kafkajs admin / consumer / producer (and with it its own connections), so roles
 * never wait on each other's requests.
 */
export class KafkajsClient implements KafkaClient {
  readonly #kafka: Kafka;
  readonly #policy: ConnectPolicy;
  readonly #roles = new Set<Closeable>();

  constructor(options: KafkajsClientOptions) {
    const brokers = bootstrapServerList(options.bootstrapServers, 'KafkajsClient');
    this.#policy = { bootstrapServers: brokers, timeoutMs: options.connectTimeoutMs ?? 30_000 };
    const sink = options.logSink;
    this.#kafka = new Kafka({
      clientId: options.clientId ?? 'ts-streams',
      brokers: [...brokers],
      connectionTimeout: Math.min(3_000, this.#policy.timeoutMs),
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      // kafkajs's own retries stay short: the runtime retries with its own deadline above them.
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
      logLevel: kafkajsLogLevel(sink === undefined ? 'nothing' : (options.logLevel ?? 'warn')),
      ...(sink === undefined ? {} : { logCreator: kafkajsLogCreator(sink) }),
    });
  }

  admin(): KafkaAdmin {
    return this.#track(new KafkajsAdmin(this.#kafka, this.#policy));
  }

  groupConsumer(options: GroupConsumerOptions): GroupConsumer {
    return this.#track(new KafkajsGroupConsumer(this.#kafka, this.#policy, options));
  }

  assignedConsumer(options: AssignedConsumerOptions): AssignedConsumer {
    return this.#track(new KafkajsAssignedConsumer(this.#kafka, this.#policy, options));
  }

  producer(options: ProducerOptions): KafkaProducer {
    return this.#track(new KafkajsProducer(this.#kafka, this.#policy, options));
  }

  async close(): Promise<void> {
    const roles = [...this.#roles];
    this.#roles.clear();
    await Promise.allSettled(roles.map((role) => role.close()));
  }

  #track<T extends Closeable>(role: T): T {
    this.#roles.add(role);
    return role;
  }
}
