import { StreamsError } from './streams-error.ts';

/** Which half of a serde failed. */
export type SerdeOperation = 'serialize' | 'deserialize';

export interface SerdeErrorInit {
  /** The serde's name, e.g. "Long" or "TimeWindowed<String>". */
  readonly serde: string;
  readonly topic: string;
  readonly operation: SerdeOperation;
  /** Length of the bytes being deserialized (undefined when serializing). */
  readonly bytes?: number | undefined;
  /** What was wrong, phrased to follow "<Serde> serde on topic '<topic>' ", e.g. "got 4 bytes, expected 8". */
  readonly problem: string;
  /** How to fix it. Defaults to a hint about Consumed.with(...) / Produced.with(...). */
  readonly hint?: string | undefined;
  readonly cause?: unknown;
}

const DESERIALIZE_HINT =
  "Check the topic's key and value serdes in Consumed.with(...) (or Grouped/Materialized for internal topics): " +
  'they must match the serdes the producer wrote with.';
const SERIALIZE_HINT =
  'Check the value has the type the serde expects, or pick a matching serde in Produced.with(...) (or Grouped/Materialized).';

/**
 * Thrown when a serde cannot turn bytes into a value (or a value into bytes). The message names the serde, the topic,
 * what was wrong and how to fix it, e.g.
 * "Long serde on topic 'counts' got 4 bytes, expected 8 (4 bytes is what Integer or Float write). Check the topic's ...".
 * Never retriable: the same bytes or value fail the same way every time.
 */
export class SerdeError extends StreamsError {
  override name = 'SerdeError';
  readonly serde: string;
  readonly topic: string;
  readonly operation: SerdeOperation;
  /** Length of the offending input bytes when deserializing; undefined when serializing. */
  readonly bytes: number | undefined;

  constructor(init: SerdeErrorInit) {
    const hint = init.hint ?? (init.operation === 'deserialize' ? DESERIALIZE_HINT : SERIALIZE_HINT);
    super(`${init.serde} serde on topic '${init.topic}' ${init.problem}. ${hint}`, { cause: init.cause, retriable: false });
    this.serde = init.serde;
    this.topic = init.topic;
    this.operation = init.operation;
    this.bytes = init.bytes;
  }
}
