// The runtime's errors, one import for its modules: the shared base (from the DSL, which every package depends
// on) and the two the runtime raises about records.
export { StreamsError } from '@ts-streams/dsl';
export { DeserializationError } from './deserialization-error.ts';
export { ProcessingError, type FailedRecord } from './processing-error.ts';
export { FeedbackLoopError } from './feedback-loop-error.ts';
