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
export type { TopicView, ViewRecord } from './cli/topic-view.ts';
// The embedded default: a durable single-process log on local disk, and the client that runs KafkaStreams on it.
export { EmbeddedLog } from './embedded/embedded-log.ts';
export type { EmbeddedLogOptions, AppendRecord, LogRead } from './embedded/embedded-log.ts';
export type { CleanReport, CleanOptions } from './embedded/log-cleaner.ts';
export type { LogTransaction, StagedRecord, GroupOffsets } from './embedded/log-transaction.ts';
export { EmbeddedClient } from './embedded/embedded-client.ts';
export { openEmbeddedLog, embeddedLogDir, embeddedClientFactory } from './embedded/open-embedded-log.ts';
export { EmbeddedLogLockedError } from './errors/embedded-log-locked-error.ts';
export { ClientError, type ClientErrorReason } from './errors/client-error.ts';
// The client seam's adapters, for tools that produce as the runtime does (the produce benchmark).
export { KafkajsClient, type KafkajsClientOptions } from './client/kafkajs/kafkajs-client.ts';
export { KafkatsClient, type KafkatsClientOptions } from './client/kafkats/kafkats-client.ts';
export type { KafkaClient } from './client/kafka-client.ts';
export type { GroupAssignor, GroupSnapshot, MemberAssignment, MemberSubscription } from './client/group-assignor.ts';
export type { GroupConsumer, GroupConsumerOptions, RebalanceListener } from './client/group-consumer.ts';
export type { FetchedPartition } from './client/fetched-partition.ts';
export type { AssignedConsumer, AssignedConsumerOptions } from './client/assigned-consumer.ts';
export type { KafkaProducer, ProducerOptions, ProducerRecord } from './client/kafka-producer.ts';
export type { NewTopic, TopicDescription } from './client/kafka-admin.ts';
export type { TopicPartition } from './io/topic-partition.ts';
export type { TopicPartitionOffset } from './io/topic-partition-offset.ts';
export type { RawRecord } from './io/raw-record.ts';
