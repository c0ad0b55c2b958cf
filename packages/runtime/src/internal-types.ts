/** Types the runtime uses from its sibling packages, in one place. */
export type { ProcessorContext, Processor, StreamRecord, Headers, Serde } from '@ts-streams/dsl';
export type { KeyValueStore, WindowStore, SessionStore, StateStore } from '@ts-streams/state';
