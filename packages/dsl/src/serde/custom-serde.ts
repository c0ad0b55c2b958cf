import type { Serde } from './serde.ts';
import type { Headers } from '../processor/headers.ts';
import { SerdeError, describeValue } from './serde-error.ts';

/**
 * What Serdes.from(...) needs: a name and the two conversions. They never see null: a null value is a Kafka null
 * (tombstone or absent key) and maps to null both ways without calling them. (To handle null yourself, implement
 * the Serde interface directly.)
 */
export interface SerdeDefinition<T> {
  /** Used in error messages and describe(), e.g. "Point" or "Avro<Order>". */
  readonly name: string;
  serialize(topic: string, data: T, headers?: Headers): Uint8Array;
  deserialize(topic: string, data: Uint8Array, headers?: Headers): T;
}

/** A user-defined serde: adds null handling, and turns errors thrown by the conversions into SerdeErrors. */
export class CustomSerde<T> implements Serde<T> {
  readonly name: string;
  private readonly definition: SerdeDefinition<T>;

  constructor(definition: SerdeDefinition<T>) {
    if (typeof definition?.name !== 'string' || definition.name === '') {
      throw new TypeError('Serdes.from(...) needs a non-empty name, e.g. Serdes.from({ name: "Point", serialize, deserialize })');
    }
    if (typeof definition.serialize !== 'function' || typeof definition.deserialize !== 'function') {
      throw new TypeError(`Serdes.from({ name: ${JSON.stringify(definition.name)} }) needs serialize and deserialize functions`);
    }
    this.name = definition.name;
    this.definition = definition;
  }

  serialize(topic: string, data: T | null, headers?: Headers): Uint8Array | null {
    if (data === null) return null;
    let bytes: Uint8Array;
    try {
      bytes = this.definition.serialize(topic, data, headers);
    } catch (cause) {
      if (cause instanceof SerdeError) throw cause;
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'serialize',
        problem: `failed to serialize ${describeValue(data)}: ${messageOf(cause)}`,
        cause,
      });
    }
    if (!(bytes instanceof Uint8Array)) {
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'serialize',
        problem: `returned ${describeValue(bytes)} from serialize, expected a Uint8Array (or Buffer)`,
        hint: 'Fix the serialize function passed to Serdes.from(...).',
      });
    }
    return bytes;
  }

  deserialize(topic: string, data: Uint8Array | null, headers?: Headers): T | null {
    if (data === null) return null;
    try {
      return this.definition.deserialize(topic, data, headers);
    } catch (cause) {
      if (cause instanceof SerdeError) throw cause;
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'deserialize',
        bytes: data.length,
        problem: `failed to deserialize ${data.length} bytes: ${messageOf(cause)}`,
        cause,
      });
    }
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
