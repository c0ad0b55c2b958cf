import type { Cluster } from '@kafkats/client';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { AssignedConsumer, AssignedConsumerOptions } from '../assigned-consumer.ts';
import type { FetchedPartition } from '../fetched-partition.ts';
import { connectCluster, newCluster, type KafkatsConnection } from './kafkats-connection.ts';
import { KafkatsFetcher } from './kafkats-fetcher.ts';

/**
 * AssignedConsumer over @kafkats/client's connections: the partitions the runtime assigns, from the positions its
 * seeks give, fetched by a KafkatsFetcher of its own (no group, no commits: Java's KafkaConsumer#assign). A fetch that
 * finds a partition out of range stops fetching it and the next poll rejects with 'offset-out-of-range' naming it,
 * until a seek. (@kafkats/client's own consumer takes a manual assignment only when it starts a run, and changing it
 * means stopping the run: restoration changes it all the time.)
 */
export class KafkatsAssignedConsumer implements AssignedConsumer {
  readonly #connection: KafkatsConnection;
  readonly #cluster: Cluster;
  readonly #fetcher: KafkatsFetcher;
  #connected: Promise<void> | undefined;
  #closed = false;

  constructor(connection: KafkatsConnection, options: AssignedConsumerOptions) {
    this.#connection = connection;
    this.#cluster = newCluster(connection);
    this.#fetcher = new KafkatsFetcher(this.#cluster, {
      isolation: options.isolation,
      maxBufferedRecords: options.maxBufferedRecords,
      failureTimeoutMs: connection.connectTimeoutMs,
      outOfRange: () => 'report',
      name: 'the assigned consumer',
    });
  }

  connect(): Promise<void> {
    this.#connected ??= connectCluster(this.#cluster, this.#connection, 'Connecting the assigned consumer').then(() => this.#fetcher.start());
    return this.#connected;
  }

  assign(partitions: readonly TopicPartition[]): void {
    this.#fetcher.assign(partitions);
  }

  seek(partition: TopicPartition, offset: number | 'earliest' | 'latest'): void {
    if (!this.#fetcher.has(partition)) {
      throw new ClientError(`seek(${partition.topic}-${partition.partition}): the partition is not assigned; assign() it first`, 'fatal');
    }
    this.#fetcher.seek(partition, offset);
  }

  position(partition: TopicPartition): number | undefined {
    return this.#fetcher.position(partition);
  }

  async poll(options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]> {
    if (this.#closed) throw new ClientError('poll() on a closed assigned consumer', 'fatal');
    await this.connect();
    return this.#fetcher.poll(options);
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.#fetcher.pause(partitions);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.#fetcher.resume(partitions);
  }

  /** Records fetched and not yet returned by poll. */
  get bufferedRecords(): number {
    return this.#fetcher.bufferedRecords;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#fetcher.close();
    await this.#connected?.catch(() => undefined);
    await this.#cluster.disconnect().catch(() => undefined);
  }
}
