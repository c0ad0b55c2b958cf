
/*
 * The user's functions as graph nodes hold them. The DSL checked each against its stream's key and value types
 * when the step was added; the graph erases those types to `unknown`, which is what the runtime knows when it
 * calls them with whatever the upstream step produced.
 */

/** (key, value) → boolean: filter, filterNot, split branches. */
export type KeyValuePredicate = (key: unknown, value: unknown) => boolean;
/** (key, value) → R: map, selectKey, groupBy key selection, the key selector of a global table join. */
export type KeyValueMapper<R> = (key: unknown, value: unknown) => R;
/** (value, key) → R: mapValues, flatMapValues. */
export type ValueMapper<R> = (value: unknown, key: unknown) => R;
/** (key, value) → nothing: peek, foreach. */
export type KeyValueAction = (key: unknown, value: unknown) => void;
/** A new aggregate. */
export type AggregateInitializer = () => unknown;
/** (key, value, aggregate) → the new aggregate. */
export type AggregateFolder = (key: unknown, value: unknown, aggregate: unknown) => unknown;
/** (aggregate, value) → the new aggregate (the first value is the aggregate). */
export type ValueReducer = (aggregate: unknown, value: unknown) => unknown;
/** (key, aggregate, aggregate) → the aggregate of two merged sessions. */
export type SessionMerger = (key: unknown, left: unknown, right: unknown) => unknown;
/** (value, other value) → the joined value: table-table joins. */
export type TableValueJoiner = (value: unknown, otherValue: unknown) => unknown;
/** (value, other value, key) → the joined value: joins driven by a stream. */
export type StreamValueJoiner = (value: unknown, otherValue: unknown, key: unknown) => unknown;
