import type { Serde } from '../serde/serde.ts';
import type { Headers } from '../processor/headers.ts';
import type { NodeBase } from './nodes/node-base.ts';
import type { ProcessorNode } from './nodes/processor-node.ts';

/** Picks the event time of a consumed record (Kafka Streams' TimestampExtractor). */
export type TimestampExtractor = (
  record: { readonly key: unknown; readonly value: unknown; readonly timestamp: number; readonly topic: string; readonly partition: number; readonly headers: Headers },
  partitionTime: number,
) => number;

/** Chooses the output topic per record (Kafka Streams' TopicNameExtractor). */
export type TopicNameExtractor<K = any, V = any> = (key: K, value: V, context: { readonly topic: string | undefined; readonly timestamp: number; readonly headers: Headers }) => string;

/** Chooses the partition of an output record; undefined = the default (murmur2 of the key bytes). */
export type StreamPartitioner<K = any, V = any> = (topic: string, key: K, value: V, numPartitions: number) => number | undefined;

/** Reads topics. `internal` sources read a repartition topic written by the same application. */
export interface SourceNode extends NodeBase {
  readonly kind: 'source';
  readonly topics: readonly string[];
  readonly keySerde: Serde<any> | undefined;
  readonly valueSerde: Serde<any> | undefined;
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly offsetReset: 'earliest' | 'latest' | 'none' | undefined;
  /** Repartition topics are named without the application id; the runtime prefixes `<applicationId>-`. */
  readonly internal: boolean;
  /**
   * A KTable or GlobalKTable source: records are table updates. A global table always keeps its store (named here);
   * a KTable's store, if build() kept one, is its table step's (TableSourceNode#store).
   */
  readonly table?: { readonly global: false } | { readonly global: true; readonly store: string };
  /** Explicit repartition(): partition count of the internal topic (default: as the upstream topics). */
  readonly partitions?: number;
}

/** Writes records to a topic, or to the topic a TopicNameExtractor picks per record. */
export interface SinkNode extends NodeBase {
  readonly kind: 'sink';
  readonly topic: string | TopicNameExtractor;
  readonly keySerde: Serde<any> | undefined;
  readonly valueSerde: Serde<any> | undefined;
  readonly partitioner: StreamPartitioner | undefined;
  readonly internal: boolean;
}

/** Every node of the logical graph: sources, sinks and one processor node kind per operator. */
export type GraphNode = SourceNode | SinkNode | ProcessorNode;
