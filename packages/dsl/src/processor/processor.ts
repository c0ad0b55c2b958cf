import type { StreamRecord, RecordMetadata } from './stream-record.ts';

export type PunctuationType = 'stream-time' | 'wall-clock-time';

export interface Cancellable {
  cancel(): void;
}

/** What a processor sees of its task. Implemented by the runtime; the same object in the test driver. */
export interface ProcessorContext<KOut = never, VOut = never> {
  readonly applicationId: string;
  /** "<subtopology>_<partition>", as in Kafka Streams. */
  readonly taskId: string;
  /** Sends a record to every child, or to the named child only. Synchronous: children run before it returns. */
  forward<K extends KOut, V extends VOut>(record: StreamRecord<K, V>, childName?: string): void;
  /** A store connected to this processor (by `process(..., stores)` or `Materialized`). */
  getStateStore<S = unknown>(name: string): S;
  /** Calls `punctuator` every `intervalMs` of stream time or wall-clock time. */
  schedule(intervalMs: number, type: PunctuationType, punctuator: (timestamp: number) => void): Cancellable;
  /** Topic, partition and offset of the input record being processed; null inside a punctuator. */
  recordMetadata(): RecordMetadata | null;
  currentStreamTimeMs(): number;
  currentSystemTimeMs(): number;
  /** Requests a commit at the next opportunity. */
  commit(): void;
}

/** Kafka Streams' Processor API (`org.apache.kafka.streams.processor.api.Processor`). */
export interface Processor<KIn, VIn, KOut = never, VOut = never> {
  init?(context: ProcessorContext<KOut, VOut>): void;
  process(record: StreamRecord<KIn, VIn>): void;
  close?(): void;
}

/** Makes a fresh processor per task, like Kafka Streams' ProcessorSupplier. */
export type ProcessorSupplier<KIn, VIn, KOut = never, VOut = never> = () => Processor<KIn, VIn, KOut, VOut>;
