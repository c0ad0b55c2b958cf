// Serdes
export type { Serde, SerdeType } from './serde/serde.ts';
export * from './serde/index.ts';
// Records and the Processor API
export type { Header, Headers } from './processor/headers.ts';
export { NO_HEADERS } from './processor/headers.ts';
export type { StreamRecord, RecordMetadata } from './processor/stream-record.ts';
export type { Processor, ProcessorContext, ProcessorSupplier, PunctuationType, Cancellable } from './processor/processor.ts';
export type { KeyValue } from './key-value.ts';
export { kv } from './key-value.ts';
// The builder and handles
export { StreamsBuilder } from './streams-builder.ts';
export type { StreamsBuilderOptions } from './streams-builder.ts';
export type { KStream } from './kstream/kstream.ts';
export type { BranchedKStream } from './kstream/branched-kstream.ts';
export type { KTable } from './ktable/ktable.ts';
export type { GlobalKTable } from './ktable/global-ktable.ts';
export type { KGroupedStream, TimeWindowedKStream, SessionWindowedKStream, Initializer, Aggregator, Reducer, Merger, EmitStrategy } from './grouped/kgrouped-stream.ts';
export type { KGroupedTable } from './grouped/kgrouped-table.ts';
// Options
export { Consumed } from './options/consumed.ts';
export { Produced } from './options/produced.ts';
export type { ProducedWithSerdes } from './options/produced.ts';
export { Grouped } from './options/grouped.ts';
export { Materialized } from './options/materialized.ts';
export { Named } from './options/named.ts';
export { Branched } from './options/branched.ts';
export type { Repartitioned } from './options/repartitioned.ts';
export { Joined, StreamJoined } from './options/joined.ts';
export type { TableJoined } from './options/joined.ts';
// Windows and time
export { TimeWindows } from './window/time-windows.ts';
export { SlidingWindows } from './window/sliding-windows.ts';
export { SessionWindows } from './window/session-windows.ts';
export { JoinWindows } from './window/join-windows.ts';
export { Suppressed, BufferConfig } from './window/suppressed.ts';
export { toMillis } from './window/duration.ts';
export type { DurationLike } from './window/duration.ts';
// The logical topology (read by the runtime)
export { Topology } from './topology/topology.ts';
export type { Subtopology, GlobalStoreGroup } from './topology/subtopologies.ts';
export { LogicalGraph } from './graph/logical-graph.ts';
export type { GraphNode, SourceNode, SinkNode, TimestampExtractor, TopicNameExtractor, StreamPartitioner } from './graph/graph-node.ts';
export type { ProcessorNode, ProcessorOp, ProcessorNodeOf } from './graph/nodes/processor-node.ts';
export type * from './graph/nodes/stream-nodes.ts';
export type * from './graph/nodes/aggregation-nodes.ts';
export type * from './graph/nodes/table-nodes.ts';
export type * from './graph/nodes/join-nodes.ts';
export type * from './graph/nodes/node-functions.ts';
export { tableStore } from './graph/table-store.ts';
export { sendOldValuesFor } from './graph/send-old-values.ts';
export type { StoreSpec, StoreType } from './graph/store-spec.ts';
// Errors (also `@ts-streams/dsl/errors`, the one module of the DSL the state package imports)
export { StreamsError, TopologyError, SerdeError } from './errors/index.ts';
export type { StreamsErrorOptions, SerdeErrorInit, SerdeOperation } from './errors/index.ts';
