import { SerdeError } from '../errors/serde-error.ts';

// The class lives with the other errors (errors/serde-error.ts); serdes import it from here with its helpers.
export { SerdeError, type SerdeErrorInit, type SerdeOperation } from '../errors/serde-error.ts';

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
