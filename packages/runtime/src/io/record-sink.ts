import type { OutputRecord } from './raw-record.ts';

/**
 * Where a task's sink nodes and changelogs send records. The seam between the engine and I/O: the test
 * driver collects them in memory, the Kafka runtime hands them to a producer, the embedded runtime to
 * its on-disk log. `send` is synchronous and must not block; durability is awaited at commit via `flush`.
 */
export interface RecordSink {
  send(record: OutputRecord): void;
  /** Resolves when every record sent so far is durable. Called once per commit, never per record. */
  flush(): Promise<void> | void;
  /** Partitions of a topic, for the default partitioner; undefined if unknown (then partition 0). */
  partitionsFor?(topic: string): number | undefined;
  /**
   * True when records for `topic` are not wanted at all (the test driver with captureChangelogs: false): the task
   * asks once per changelog topic and then sends it nothing. Absent = everything is sent.
   */
  discards?(topic: string): boolean;
}
