import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { Header, Headers } from '@ts-streams/dsl';
import { ClientError } from '../../errors/client-error.ts';
import type { RawRecord } from '../../io/raw-record.ts';
import type { ProducerRecord } from '../kafka-producer.ts';

// Records between the seam's shape (Uint8Array bytes, headers as an ordered list, numeric offsets and timestamps) and
// kafkajs's (Buffers, headers as an object, offsets and timestamps as strings). kafkajs keeps headers in an object:
// headers with the same key are produced grouped under the key's first position, so an interleaving such as a, b, a
// is written as a, a, b (the values of a key keep their order); our fetch decoding (record-set-decoder.ts) reads
// headers in wire order, kafkajs's own decoding grouped. Kafka Streams itself never interleaves. kafkajs cannot
// produce a header whose value is null (it reads back those other clients wrote).

const NO_HEADERS: Headers = Object.freeze([]) as Headers;

/** A view of the bytes as a Buffer, without copying. */
function asBuffer(bytes: Uint8Array | null): Buffer | null {
  if (bytes === null) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function toKafkajsMessage(record: ProducerRecord): Message {
  const message: Message = {
    key: asBuffer(record.key),
    value: asBuffer(record.value),
    partition: record.partition,
    timestamp: String(record.timestamp),
  };
  if (record.headers.length > 0) {
    const headers: Record<string, Buffer | Buffer[]> = {};
    for (const { key, value } of record.headers) {
      if (value === null) {
        // kafkajs sizes every header value with Buffer.byteLength before encoding, which throws on null.
        throw new ClientError(
          `A record for ${record.topic}-${record.partition} has header '${key}' with a null value, which kafkajs cannot produce; ` +
            `give the header an empty value instead`,
          'fatal',
          { partitions: [{ topic: record.topic, partition: record.partition }] },
        );
      }
      const bytes = asBuffer(value)!;
      const existing = headers[key];
      if (existing === undefined) headers[key] = bytes;
      else if (Array.isArray(existing)) existing.push(bytes);
      else headers[key] = [existing, bytes];
    }
    message.headers = headers;
  }
  return message;
}

// Per record of a fetch kafkajs decoded itself (a record set in an old message format; our consumers' fetches are
// decoded by record-set-decoder.ts): the conversion cost ~260 ns a record with Number() on the decimal strings and
// Object.keys on the (nearly always empty) headers object, ~150 ns as below (measured alone on fresh strings, as
// kafkajs makes them).
export function fromKafkajsMessage(message: KafkaMessage): RawRecord {
  return {
    key: message.key,
    value: message.value,
    timestamp: decimal(message.timestamp),
    headers: fromKafkajsHeaders(message.headers),
    offset: decimal(message.offset),
  };
}

/**
 * Number(s) for kafkajs's offsets and timestamps (decimal strings of 64-bit integers): digits are read directly when
 * there are at most 15 (exact in a double); anything else (a sign, more digits, an empty string) goes to Number().
 */
export function decimal(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return Number(s);
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(s);
    v = v * 10 + d;
  }
  return v;
}

function fromKafkajsHeaders(headers: IHeaders | undefined): Headers {
  if (headers === undefined || !hasKeys(headers)) return NO_HEADERS;
  const list: Header[] = [];
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) list.push({ key, value: v === undefined || v === null ? null : typeof v === 'string' ? Buffer.from(v) : v });
  }
  return list;
}

/** Whether an object has an own enumerable key, without Object.keys's array (kafkajs gives every record an object). */
function hasKeys(o: object): boolean {
  for (const key in o) if (Object.hasOwn(o, key)) return true;
  return false;
}
