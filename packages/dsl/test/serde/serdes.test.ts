import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import * as index from '../../src/serde/index.ts';
import type { Serde } from '../../src/serde/serde.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { TOPIC, hex } from './helpers.ts';

const STATELESS = ['String', 'Long', 'LongBigInt', 'Integer', 'Short', 'Double', 'Float', 'Boolean', 'ByteArray', 'Bytes', 'Void', 'UUID'] as const;

test('stateless serdes are singletons with Kafka names', (t) => {
  for (const k of STATELESS) t.is(Serdes[k](), Serdes[k](), k);
  t.deepEqual(
    STATELESS.map((k) => Serdes[k]().name),
    ['String', 'Long', 'LongBigInt', 'Integer', 'Short', 'Double', 'Float', 'Boolean', 'ByteArray', 'ByteArray', 'Void', 'UUID'],
  );
  t.true(Object.isFrozen(Serdes));
  t.true(Object.isFrozen(Serdes.String()));
});

test('every serde maps null to null both ways', (t) => {
  const all: Serde<unknown>[] = [
    ...STATELESS.map((k) => Serdes[k]() as Serde<unknown>),
    Serdes.JSON(),
    Serdes.timeWindowed(Serdes.String(), 1000) as Serde<unknown>,
    Serdes.sessionWindowed(Serdes.Long()) as Serde<unknown>,
    Serdes.from<number>({ name: 'X', serialize: () => new Uint8Array(0), deserialize: () => 1 }) as Serde<unknown>,
  ];
  for (const s of all) {
    t.is(s.serialize(TOPIC, null), null, s.name);
    t.is(s.deserialize(TOPIC, null), null, s.name);
  }
});

interface Point {
  x: number;
  y: number;
}

const point = Serdes.from<Point>({
  name: 'Point',
  serialize(_topic, p) {
    const b = Buffer.allocUnsafe(8);
    b.writeInt32BE(p.x, 0);
    b.writeInt32BE(p.y, 4);
    return b;
  },
  deserialize(_topic, data) {
    if (data.length !== 8) throw new Error(`need 8 bytes, got ${data.length}`);
    const b = Buffer.from(data);
    return { x: b.readInt32BE(0), y: b.readInt32BE(4) };
  },
});

test('Serdes.from: custom serde with null handled for it', (t) => {
  t.is(point.name, 'Point');
  t.is(hex(point.serialize(TOPIC, { x: 1, y: -1 })), '00000001ffffffff');
  t.deepEqual(point.deserialize(TOPIC, Buffer.from('00000001ffffffff', 'hex')), { x: 1, y: -1 });
  t.is(point.serialize(TOPIC, null), null);
  t.is(point.deserialize(TOPIC, null), null);
});

test('Serdes.from: errors thrown inside become SerdeErrors naming serde and topic', (t) => {
  const e = t.throws(() => point.deserialize(TOPIC, new Uint8Array(3)), { instanceOf: SerdeError });
  t.regex(e!.message, /^Point serde on topic 'counts' failed to deserialize 3 bytes: need 8 bytes, got 3\./);
  t.true(e!.cause instanceof Error);
  const bad = Serdes.from<string>({ name: 'Bad', serialize: () => 'oops' as unknown as Uint8Array, deserialize: () => '' });
  t.throws(() => bad.serialize(TOPIC, 'x'), { instanceOf: SerdeError, message: /returned the string "oops" from serialize/ });
  t.throws(() => Serdes.from({ name: '', serialize: () => new Uint8Array(), deserialize: () => 1 }), { instanceOf: TypeError });
  t.throws(() => Serdes.from({ name: 'N' } as never), { instanceOf: TypeError });
});

test('Serdes.from: a SerdeError from an inner serde passes through unchanged', (t) => {
  const wrapper = Serdes.from<number>({
    name: 'Wrapper',
    serialize: (topic, n) => Serdes.Integer().serialize(topic, n)!,
    deserialize: (topic, data) => Serdes.Integer().deserialize(topic, data)!,
  });
  t.throws(() => wrapper.deserialize(TOPIC, new Uint8Array(2)), { instanceOf: SerdeError, message: /^Integer serde/ });
});

test('SerdeError: fields and message shape', (t) => {
  const e = new SerdeError({ serde: 'Long', topic: 'counts', operation: 'deserialize', bytes: 4, problem: 'got 4 bytes, expected 8' });
  t.true(e instanceof Error);
  t.is(e.name, 'SerdeError');
  t.is(e.serde, 'Long');
  t.is(e.topic, 'counts');
  t.is(e.bytes, 4);
  t.is(
    e.message,
    "Long serde on topic 'counts' got 4 bytes, expected 8. Check the topic's key and value serdes in Consumed.with(...) " +
      '(or Grouped/Materialized for internal topics): they must match the serdes the producer wrote with.',
  );
  t.true(String(e).startsWith('SerdeError: Long serde'));
});

test('index re-exports the public API', (t) => {
  for (const name of ['Serdes', 'SerdeError', 'formatWindowed', 'json', 'TimeWindowedSerde', 'SessionWindowedSerde', 'CustomSerde', 'StringSerde', 'LongSerde'] as const) {
    t.truthy(index[name], name);
  }
});
