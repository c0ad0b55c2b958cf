export type { Serde, SerdeType } from './serde/serde.ts';
export type { Header, Headers } from './processor/headers.ts';
export { NO_HEADERS } from './processor/headers.ts';
export type { StreamRecord, RecordMetadata } from './processor/stream-record.ts';
export type { Processor, ProcessorContext, ProcessorSupplier, PunctuationType, Cancellable } from './processor/processor.ts';
