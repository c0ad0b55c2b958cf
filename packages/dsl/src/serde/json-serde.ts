import type { Serde } from './serde.ts';
import type { Headers } from '../processor/headers.ts';
import { SerdeError, describeValue } from './serde-error.ts';
import { decodeUtf8 } from './binary.ts';

export interface JsonSerdeOptions<T> {
  /** Shown in the serde's name and errors: name "Order" gives "JSON<Order>". */
  readonly name?: string;
  /** Passed to JSON.parse. */
  readonly reviver?: (this: unknown, key: string, value: unknown) => unknown;
  /** Passed to JSON.stringify. */
  readonly replacer?: (this: unknown, key: string, value: unknown) => unknown;
  /**
   * Checks (and may transform) each parsed value: return the T, or throw to reject it. A schema's parse method fits,
   * e.g. `validate: (v) => OrderSchema.parse(v)`. Runs after the reviver.
   */
  readonly validate?: (value: unknown, topic: string) => T;
  /** A type guard alternative to validate: a false result rejects the value. */
  readonly is?: (value: unknown) => value is T;
}

/**
 * JSON as UTF-8 text: JSON.stringify to serialize, JSON.parse to deserialize. Kafka has no JSON serde in its
 * clients; this is the plain, schema-less format most JSON-on-Kafka producers write. A null value is a Kafka null
 * (tombstone), so the JSON text "null" deserializes to null too.
 */
export class JsonSerde<T> implements Serde<T> {
  readonly name: string;
  private readonly reviver: JsonSerdeOptions<T>['reviver'];
  private readonly replacer: JsonSerdeOptions<T>['replacer'];
  private readonly validate: JsonSerdeOptions<T>['validate'];
  private readonly is: JsonSerdeOptions<T>['is'];

  constructor(options: JsonSerdeOptions<T> = {}) {
    this.name = options.name === undefined ? 'JSON' : `JSON<${options.name}>`;
    this.reviver = options.reviver;
    this.replacer = options.replacer;
    this.validate = options.validate;
    this.is = options.is;
  }

  serialize(topic: string, data: T | null, _headers?: Headers): Uint8Array | null {
    if (data === null) return null;
    let text: string | undefined;
    try {
      text = JSON.stringify(data, this.replacer);
    } catch (cause) {
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'serialize',
        problem: `cannot serialize ${describeValue(data)}: JSON.stringify failed (${(cause as Error).message})`,
        hint: 'JSON cannot hold bigints or circular references: convert them in a replacer, or use a custom serde (Serdes.from).',
        cause,
      });
    }
    if (text === undefined) {
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'serialize',
        problem: `cannot serialize ${describeValue(data)}: JSON.stringify returned undefined`,
        hint: 'Only JSON values (objects, arrays, strings, numbers, booleans) can be written; send null for a tombstone.',
      });
    }
    // JSON.stringify escapes lone surrogates, so the text is well-formed and Buffer.from matches Java's UTF-8.
    return Buffer.from(text, 'utf8');
  }

  deserialize(topic: string, data: Uint8Array | null, _headers?: Headers): T | null {
    if (data === null) return null;
    const text = decodeUtf8(data);
    let value: unknown;
    try {
      value = JSON.parse(text, this.reviver);
    } catch (cause) {
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'deserialize',
        bytes: data.length,
        problem: `got ${data.length} bytes that are not valid JSON (${(cause as Error).message}): ${describeValue(text)}`,
        cause,
      });
    }
    if (value === null) return null;
    if (this.is !== undefined && !this.is(value)) {
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'deserialize',
        bytes: data.length,
        problem: `got JSON that failed the type check: ${describeValue(text)}`,
        hint: 'Fix the producer of this topic, or relax the check if the data is valid.',
      });
    }
    if (this.validate !== undefined) {
      try {
        return this.validate(value, topic);
      } catch (cause) {
        throw new SerdeError({
          serde: this.name,
          topic,
          operation: 'deserialize',
          bytes: data.length,
          problem: `got JSON that failed validation (${cause instanceof Error ? cause.message : String(cause)})`,
          hint: 'Fix the producer of this topic, or relax the check if the data is valid.',
          cause,
        });
      }
    }
    return value as T;
  }
}

/** The shared option-less JSON serde (stateless, so one instance serves every type). */
export const jsonSerde: JsonSerde<unknown> = Object.freeze(new JsonSerde<unknown>()) as JsonSerde<unknown>;

/** A typed JSON serde: `json<Order>()`, or `json<Order>({ name: 'Order', validate })`. */
export function json<T>(options?: JsonSerdeOptions<T>): JsonSerde<T> {
  return options === undefined ? (jsonSerde as JsonSerde<T>) : new JsonSerde<T>(options);
}
