/** Types the runtime uses from its sibling packages, in one place. */
export type { ProcessorContext, StreamRecord, Headers } from '@ts-streams/dsl';
export type { KeyValueStore, WindowStore } from '@ts-streams/state';
