import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { json } from '../../src/serde/json-serde.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { TOPIC, hex } from './helpers.ts';

interface Order {
  id: string;
  qty: number;
  tags?: string[];
}

test('JSON: UTF-8 of JSON.stringify, round trip', (t) => {
  const serde = Serdes.JSON<Order>();
  t.is(serde.name, 'JSON');
  const order: Order = { id: 'é1', qty: 2, tags: ['😀'] };
  const bytes = serde.serialize(TOPIC, order);
  t.true(Buffer.isBuffer(bytes));
  t.is(Buffer.from(bytes!).toString('utf8'), '{"id":"é1","qty":2,"tags":["😀"]}');
  t.deepEqual(serde.deserialize(TOPIC, bytes), order);
  t.is(hex(serde.serialize(TOPIC, { id: 'a', qty: 1 })), Buffer.from('{"id":"a","qty":1}').toString('hex'));
});

test('JSON: the option-less serde is shared', (t) => {
  t.is<unknown, unknown>(Serdes.JSON<Order>(), Serdes.JSON<number>());
  t.not(Serdes.JSON<Order>({ name: 'Order' }), Serdes.JSON<Order>({ name: 'Order' }));
});

test('JSON: null in, null out; the JSON text null is a Kafka null too', (t) => {
  const serde = json<Order>();
  t.is(serde.serialize(TOPIC, null), null);
  t.is(serde.deserialize(TOPIC, null), null);
  t.is(serde.deserialize(TOPIC, Buffer.from('null')), null);
});

test('JSON: a checked serde maps null to null without calling its checks', (t) => {
  const refuse = (): never => {
    throw new Error('called');
  };
  for (const serde of [json<Order>({ name: 'Order', validate: refuse }), json<Order>({ is: (_v): _v is Order => refuse() })]) {
    t.is(serde.serialize(TOPIC, null), null, serde.name);
    t.is(serde.deserialize(TOPIC, null), null, serde.name);
    t.is(serde.deserialize(TOPIC, Buffer.from('null')), null, serde.name);
  }
});

test('JSON: primitives and arrays', (t) => {
  const serde = json<unknown>();
  for (const v of [0, 'x', true, [1, 'a'], { nested: { deep: [null] } }]) t.deepEqual(serde.deserialize(TOPIC, serde.serialize(TOPIC, v)), v);
});

test('JSON: lone surrogates are escaped by JSON.stringify, so bytes are valid UTF-8', (t) => {
  t.is(Buffer.from(json<string>().serialize(TOPIC, 'a\ud800')!).toString('latin1'), '"a\\ud800"');
});

test('JSON: invalid JSON names serde, topic and shows the text', (t) => {
  const e = t.throws(() => json<Order>({ name: 'Order' }).deserialize(TOPIC, Buffer.from('{"id":')), { instanceOf: SerdeError });
  t.regex(e!.message, /^JSON<Order> serde on topic 'counts' got 6 bytes that are not valid JSON \(.*\): the string "\{\\"id\\":"\./);
  t.regex(e!.message, /Consumed\.with/);
  t.is(e!.bytes, 6);
  t.truthy(e!.cause);
});

test('JSON: unserializable values are refused clearly', (t) => {
  const serde = json<unknown>();
  t.throws(() => serde.serialize(TOPIC, { n: 1n }), { instanceOf: SerdeError, message: /JSON\.stringify failed.*bigint/is });
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  t.throws(() => serde.serialize(TOPIC, circular), { instanceOf: SerdeError, message: /circular/ });
  t.throws(() => serde.serialize(TOPIC, undefined), { instanceOf: SerdeError, message: /returned undefined/ });
  t.throws(() => serde.serialize(TOPIC, () => 1), { instanceOf: SerdeError, message: /returned undefined/ });
});

test('JSON: reviver and replacer', (t) => {
  interface Event {
    at: Date;
  }
  const serde = json<Event>({
    reviver: (key, value) => (key === 'at' ? new Date(value as string) : value),
  });
  const at = new Date('2024-01-02T03:04:05.000Z');
  const back = serde.deserialize(TOPIC, serde.serialize(TOPIC, { at }));
  t.true(back!.at instanceof Date);
  t.is(back!.at.getTime(), at.getTime());
  const withBigint = json<{ n: bigint }>({ replacer: (_k, v) => (typeof v === 'bigint' ? v.toString() : v) });
  t.is(Buffer.from(withBigint.serialize(TOPIC, { n: 5n })!).toString(), '{"n":"5"}');
});

test('JSON: validate (parse-style) and is (type guard)', (t) => {
  const validated = json<Order>({
    name: 'Order',
    validate: (v) => {
      const o = v as Order;
      if (typeof o?.id !== 'string' || typeof o.qty !== 'number') throw new Error('id must be a string and qty a number');
      return { ...o, qty: Math.max(0, o.qty) };
    },
  });
  t.deepEqual(validated.deserialize(TOPIC, Buffer.from('{"id":"a","qty":-3}')), { id: 'a', qty: 0 });
  const e = t.throws(() => validated.deserialize(TOPIC, Buffer.from('{"id":1}')), { instanceOf: SerdeError });
  t.regex(e!.message, /^JSON<Order> serde on topic 'counts' got JSON that failed validation \(id must be a string and qty a number\)/);

  const guarded = json<Order>({ is: (v): v is Order => typeof (v as Order)?.id === 'string' });
  t.deepEqual(guarded.deserialize(TOPIC, Buffer.from('{"id":"x","qty":1}')), { id: 'x', qty: 1 });
  t.throws(() => guarded.deserialize(TOPIC, Buffer.from('[1]')), { instanceOf: SerdeError, message: /failed the type check/ });
});
