// The public entry point of @ts-streams/runtime. The test driver is '@ts-streams/runtime/testing'; the compiler and
// the task engine (compileTask, StreamTask, processRecords, …) are internal, run by the driver and the Kafka runtime.
export { murmur2, defaultPartition } from './io/murmur2.ts';
export { StreamsError, DeserializationError, ProcessingError, FeedbackLoopError } from './errors/streams-error.ts';
export type { FailedRecord } from './errors/streams-error.ts';
export type { ValueAndTimestamp } from './state/value-and-timestamp.ts';
export { KafkaStreams, type ClientFactory } from './app/kafka-streams.ts';
export type { StreamsConfig } from './app/streams-config.ts';
export type { StreamsState } from './app/streams-state.ts';
export type { StreamsMetrics, TaskMetricsSnapshot } from './app/streams-metrics.ts';
export { ConfigError } from './errors/config-error.ts';
export type { Generator, GeneratorContext, GeneratedRecord } from './cli/generator.ts';
