import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { canonicalUuid } from '../../src/serde/uuid-serde.ts';
import { TOPIC, fromHex, hex } from './helpers.ts';

const uuid = Serdes.UUID();
const ID = '123e4567-e89b-12d3-a456-426614174000';
// Kafka's UUIDSerializer: UUID.toString() as UTF-8 (36 ASCII bytes).
const ID_HEX = '31323365343536372d653839622d313264332d613435362d343236363134313734303030';

test('UUID: the string form as UTF-8, round trip', (t) => {
  t.is(hex(uuid.serialize(TOPIC, ID)), ID_HEX);
  t.is(uuid.deserialize(TOPIC, fromHex(ID_HEX)), ID);
});

test('UUID: upper case is normalized to Java UUID.toString() lower case', (t) => {
  t.is(hex(uuid.serialize(TOPIC, ID.toUpperCase())), ID_HEX);
  t.is(uuid.deserialize(TOPIC, Buffer.from(ID.toUpperCase())), ID);
});

test('UUID: Java-lenient short-group form, as UUID.fromString accepts it', (t) => {
  t.is(canonicalUuid('1-2-3-4-5'), '00000001-0002-0003-0004-000000000005');
  t.is(canonicalUuid('1-+a-0-ffff1-1'), '00000001-000a-0000-fff1-000000000001');
  t.is(uuid.deserialize(TOPIC, Buffer.from('1-2-3-4-5')), '00000001-0002-0003-0004-000000000005');
});

test('UUID: null in, null out', (t) => {
  t.is(uuid.serialize(TOPIC, null), null);
  t.is(uuid.deserialize(TOPIC, null), null);
});

test('UUID: invalid text is refused both ways', (t) => {
  for (const bad of ['', 'not-a-uuid', '-1-2-3-4', '1-2-3-4-5-6', ID + '0', 'g23e4567-e89b-12d3-a456-426614174000']) {
    t.is(canonicalUuid(bad), undefined, bad);
    t.throws(() => uuid.serialize(TOPIC, bad), { instanceOf: SerdeError, message: /^UUID serde on topic 'counts' cannot serialize/ });
  }
  const e = t.throws(() => uuid.deserialize(TOPIC, Buffer.from('hello')), { instanceOf: SerdeError });
  t.regex(e!.message, /^UUID serde on topic 'counts' got 5 bytes that are not a UUID string: the string "hello"\./);
});
