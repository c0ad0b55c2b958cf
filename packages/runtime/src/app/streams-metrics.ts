import type { StreamsState } from './streams-state.ts';

/** One task's counters (Kafka Streams' task-level metrics). */
export interface TaskMetricsSnapshot {
  readonly processed: number;
  readonly punctuations: number;
  readonly commits: number;
  /** Records dropped (late, bad timestamp, null key where one is needed, unreadable with log-and-continue). */
  readonly droppedRecords: number;
  /** Dropped records per `<reason>:<step>`: the per-node view. */
  readonly dropped: Readonly<Record<string, number>>;
  /** Records each processor node of the task processed, by node name (Kafka Streams' process-total per node). */
  readonly nodes: Readonly<Record<string, number>>;
  /** Records fetched and waiting in the task's queues. */
  readonly bufferedRecords: number;
}

/** What KafkaStreams#metrics() returns: a snapshot, plain data. */
export interface StreamsMetrics {
  readonly state: StreamsState;
  /** Commits of the whole instance (each a barrier across its tasks). */
  readonly commits: number;
  /** By task id (`<subtopology>_<partition>`), the tasks running now. */
  readonly tasks: Readonly<Record<string, TaskMetricsSnapshot>>;
  /** Each store partition restored since start: records and time. */
  readonly restored: readonly { readonly task: string; readonly store: string; readonly topic: string; readonly partition: number; readonly records: number; readonly ms: number }[];
  /** Records handed to the producer and not yet acknowledged. */
  readonly pendingProducerRecords: number;
  /** Records written and acknowledged since start: outputs, changelog and repartition records. */
  readonly producedRecords: number;
}
