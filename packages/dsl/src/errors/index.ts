// The error classes every package shares (`@ts-streams/dsl/errors`): state imports its base from here and
// nothing else of the DSL, so this module imports nothing outside this folder.
export { StreamsError, type StreamsErrorOptions } from './streams-error.ts';
export { TopologyError } from './topology-error.ts';
export { SerdeError, type SerdeErrorInit, type SerdeOperation } from './serde-error.ts';
