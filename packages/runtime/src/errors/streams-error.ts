// The runtime's errors, one import for its modules: the shared base (from the DSL, which every package depends
// on) and those the runtime raises (records, the feedback guard, the client seam).
export { StreamsError } from '@ts-streams/dsl';
export { DeserializationError } from './deserialization-error.ts';
export { ProcessingError, type FailedRecord } from './processing-error.ts';
export { FeedbackLoopError } from './feedback-loop-error.ts';
export { ClientError, type ClientErrorReason } from './client-error.ts';
export { MissingSourceTopicError } from './missing-source-topic-error.ts';
export { ConfigError } from './config-error.ts';
export { InternalTopicError, type PartitionMismatch } from './internal-topic-error.ts';
export { EmbeddedLogLockedError } from './embedded-log-locked-error.ts';
