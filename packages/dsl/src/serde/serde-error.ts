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
 */
export class SerdeError extends Error {
  override readonly name = 'SerdeError';
  readonly serde: string;
  readonly topic: string;
  readonly operation: SerdeOperation;
  /** Length of the offending input bytes when deserializing; undefined when serializing. */
  readonly bytes: number | undefined;

  constructor(init: SerdeErrorInit) {
    const hint = init.hint ?? (init.operation === 'deserialize' ? DESERIALIZE_HINT : SERIALIZE_HINT);
    super(
      `${init.serde} serde on topic '${init.topic}' ${init.problem}. ${hint}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.serde = init.serde;
    this.topic = init.topic;
    this.operation = init.operation;
    this.bytes = init.bytes;
  }
}

/** Which built-in serdes write exactly n bytes: used to guess what actually wrote a wrong-length payload. */
const WRITERS_BY_LENGTH: Readonly<Record<number, string>> = { 1: 'Boolean', 2: 'Short', 4: 'Integer or Float', 8: 'Long or Double' };

/** The error fixed-width serdes throw for a payload of the wrong length. */
export function wrongLength(serde: string, topic: string, got: number, expected: number): SerdeError {
  const writer = WRITERS_BY_LENGTH[got];
  const guess = writer === undefined ? '' : ` (${got} ${got === 1 ? 'byte is' : 'bytes is'} what ${writer} write${writer.includes(' or ') ? '' : 's'})`;
  return new SerdeError({
    serde,
    topic,
    operation: 'deserialize',
    bytes: got,
    problem: `got ${got} ${got === 1 ? 'byte' : 'bytes'}, expected ${expected}${guess}`,
  });
}

/** The error serializers throw for a value they cannot encode. */
export function badValue(serde: string, topic: string, value: unknown, expected: string): SerdeError {
  return new SerdeError({
    serde,
    topic,
    operation: 'serialize',
    problem: `cannot serialize ${describeValue(value)}: expected ${expected}`,
  });
}

/** A short, safe rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? 'the number -0' : `the number ${value}`;
    case 'bigint':
      return `the bigint ${value}n`;
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'undefined':
      return 'undefined';
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Uint8Array) return `a ${value.constructor.name} of ${value.length} bytes`;
      return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
    default:
      return `a ${typeof value}`;
  }
}
