/** The JSON a Kafka Streams run writes for one case (see conformance/README.md). */
export interface Bytes {
  readonly hex: string;
  readonly text?: unknown;
}
export interface HeaderJson {
  readonly key: string;
  readonly hex: string | null;
}
export type InputOp =
  | { readonly op: 'pipe'; readonly topic: string; readonly key: Bytes | null; readonly value: Bytes | null; readonly timestamp: number; readonly headers: readonly HeaderJson[] }
  | { readonly op: 'advanceWallClock'; readonly ms: number };
export interface OutputJson {
  readonly key: Bytes | null;
  readonly value: Bytes | null;
  readonly timestamp: number;
  readonly headers: readonly HeaderJson[];
}
/** A record of an internal topic. timestamp null: Kafka Streams sent it without one (suppress buffers' changelogs). */
export interface InternalRecordJson extends Omit<OutputJson, 'timestamp'> {
  readonly timestamp: number | null;
}
export interface CaseFile {
  readonly name: string;
  readonly description: string;
  readonly kafkaStreams: string;
  readonly config: Readonly<Record<string, string>>;
  readonly initialWallClockMs: number;
  readonly inputs: readonly InputOp[];
  readonly outputs: Readonly<Record<string, readonly OutputJson[]>>;
  readonly order: readonly (readonly [string, number])[];
  readonly stores: Readonly<Record<string, readonly { key: Bytes | null; value: Bytes | null }[]>>;
  /** Every internal topic (changelog, repartition, suppress buffer) by name: its records in send order, bytes only. */
  readonly internal: Readonly<Record<string, readonly InternalRecordJson[]>>;
  readonly describe: string;
}
