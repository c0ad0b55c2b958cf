import { randomUUID } from 'node:crypto';
import type { ConsumerGroupMetadata } from '../client/consumer-group-metadata.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import type { FetchedPartition } from '../client/fetched-partition.ts';
import type { CommittedOffset, GroupConsumer, GroupConsumerOptions, RebalanceListener } from '../client/group-consumer.ts';
import { ClientError } from '../errors/client-error.ts';
import type { EmbeddedLog } from './embedded-log.ts';
import { PartitionFetcher } from './partition-fetcher.ts';

/**
 * The group consumer on the embedded log: the group's only member, so it owns every partition of the topics it
 * subscribes to. It still joins as on Kafka — our assignor is given the one member's subscription and the
 * partition counts, and what it assigns is what the runtime gets (onAssigned with the assignor's userData), so the
 * tasks come out exactly as they would on a broker. There is no rebalance after that: the membership never changes
 * (a second member of the group on this log is refused: EmbeddedLog#joinGroup), and topics created later are not
 * picked up (start the application again). close() revokes everything (onRevoked), as leaving a group does.
 *
 * Reads come straight from the log, committed records only (read_committed whatever `isolation` says: the log
 * holds nothing else), and a poll waits for a write when nothing is there. A position the log no longer has
 * (retention, deleteRecords) is reset by offsetReset, as Kafka's auto.offset.reset does.
 */
export class EmbeddedGroupConsumer implements GroupConsumer {
  private readonly fetcher: PartitionFetcher;
  private readonly memberId = `embedded-${randomUUID()}`;
  private listener: RebalanceListener | undefined;
  private leave: (() => void) | undefined;
  private subscribed = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly log: EmbeddedLog,
    private readonly options: GroupConsumerOptions,
  ) {
    this.fetcher = new PartitionFetcher(log);
  }

  async subscribe(topics: readonly string[], listener: RebalanceListener): Promise<void> {
    if (this.listener !== undefined) throw new TypeError('GroupConsumer.subscribe: called twice');
    this.listener = listener;
    const { groupId, assignor } = this.options;
    this.leave = this.log.joinGroup(groupId);
    try {
      const partitionsPerTopic = new Map<string, number>();
      for (const topic of topics) {
        const d = this.log.describeTopic(topic);
        if (d !== undefined) partitionsPerTopic.set(topic, d.partitions);
      }
      const assignments = await assignor.assign({
        members: [{ memberId: this.memberId, topics: [...topics], userData: assignor.subscriptionUserData(topics) }],
        partitionsPerTopic,
      });
      const mine = assignments.get(this.memberId);
      if (mine === undefined) throw new ClientError(`The assignor ${assignor.name} gave the group's only member (${this.memberId}) no assignment.`, 'fatal');
      this.fetcher.assign(mine.partitions);
      for (const tp of mine.partitions) this.fetcher.seek(tp, this.log.committed(groupId, tp) ?? this.options.offsetReset(tp.topic));
      this.subscribed = true;
      await listener.onAssigned(mine);
    } catch (e) {
      this.leave();
      this.leave = undefined;
      throw e;
    }
  }

  async poll(options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]> {
    if (!this.subscribed && this.closing === undefined) throw new TypeError('GroupConsumer.poll: subscribe() first');
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      if (this.closing !== undefined) return [];
      const fetched = this.fetcher.fetch(options.maxRecords, (tp) => {
        const reset = this.options.offsetReset(tp.topic);
        return reset === 'earliest' ? this.log.startOffset(tp) : this.log.endOffset(tp);
      });
      const remaining = deadline - Date.now();
      if (remaining <= 0 || fetched.some((f) => f.records.length > 0)) return fetched;
      await this.log.whenWritten(remaining);
    }
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.closing !== undefined && this.leave === undefined) {
      throw new ClientError(`Group ${this.options.groupId}: this member left the group; its offsets were not committed.`, 'rebalanced');
    }
    this.log.commitOffsets(this.options.groupId, offsets);
  }

  /**
   * The offsets with the metadata committed with them (Kafka Streams' partition time, which the runtime starts each
   * partition from), as the Kafka adapters return them: `metadata` only where there is some.
   */
  async committed(partitions: readonly TopicPartition[]): Promise<readonly CommittedOffset[]> {
    return partitions.map((tp) => this.log.committedOffset(this.options.groupId, tp) ?? { topic: tp.topic, partition: tp.partition, offset: undefined });
  }

  /** The embedded log has no generations: one process owns every partition (its transactions are fenced by epoch). */
  groupMetadata(): ConsumerGroupMetadata {
    return { groupId: this.options.groupId, generationId: -1, memberId: '', groupInstanceId: null };
  }

  seek(position: TopicPartitionOffset): void {
    this.fetcher.seek(position, position.offset);
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.fetcher.pause(partitions, true);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.fetcher.pause(partitions, false);
  }

  /** Revokes every partition (onRevoked: the runtime commits and closes its tasks there), then leaves the group. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        const owned = this.fetcher.partitions;
        if (this.subscribed && this.listener !== undefined && this.log.isOpen) await this.listener.onRevoked(owned);
      } finally {
        this.fetcher.assign([]);
        this.leave?.();
        this.leave = undefined;
      }
    })();
    return this.closing;
  }
}
