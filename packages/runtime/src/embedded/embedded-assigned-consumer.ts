import type { TopicPartition } from '../io/topic-partition.ts';
import type { FetchedPartition } from '../client/fetched-partition.ts';
import type { AssignedConsumer } from '../client/assigned-consumer.ts';
import { ClientError } from '../errors/client-error.ts';
import type { EmbeddedLog } from './embedded-log.ts';
import { PartitionFetcher } from './partition-fetcher.ts';

/**
 * The consumer without a group on the embedded log (restoration, global tables): partitions and positions as the
 * runtime sets them, read straight from the log (committed records only). A position the log no longer has
 * rejects the next poll with 'offset-out-of-range' naming the partition, until a seek.
 */
export class EmbeddedAssignedConsumer implements AssignedConsumer {
  private readonly fetcher: PartitionFetcher;
  private closed = false;

  constructor(private readonly log: EmbeddedLog) {
    this.fetcher = new PartitionFetcher(log);
  }

  async connect(): Promise<void> {
    this.check();
  }

  assign(partitions: readonly TopicPartition[]): void {
    this.check();
    this.fetcher.assign(partitions);
  }

  seek(partition: TopicPartition, offset: number | 'earliest' | 'latest'): void {
    this.check();
    this.fetcher.seek(partition, offset);
  }

  position(partition: TopicPartition): number | undefined {
    return this.fetcher.position(partition);
  }

  async poll(options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]> {
    this.check();
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      if (this.closed) return [];
      const fetched = this.fetcher.fetch(options.maxRecords, () => undefined);
      const remaining = deadline - Date.now();
      // Caught-up partitions answer at once (lag 0): restoration learns it reached the end without waiting.
      if (remaining <= 0 || fetched.some((f) => f.records.length > 0 || f.lag === 0)) return fetched;
      await this.log.whenWritten(remaining);
    }
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.fetcher.pause(partitions, true);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.fetcher.pause(partitions, false);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.fetcher.assign([]);
  }

  private check(): void {
    if (this.closed) throw new ClientError('This embedded assigned consumer is closed.', 'fatal');
  }
}
