import test from 'ava';
import { StreamsBuilder, Serdes, StreamsError, TopologyError, SerdeError } from '@ts-streams/dsl';
import * as errors from '@ts-streams/dsl/errors';

test('@ts-streams/dsl/errors exports the same classes as @ts-streams/dsl', (t) => {
  t.is(errors.StreamsError, StreamsError);
  t.is(errors.TopologyError, TopologyError);
  t.is(errors.SerdeError, SerdeError);
});

test('StreamsError carries retriable (default false) and the standard cause', (t) => {
  const root = new Error('broker went away');
  const e = new StreamsError('Cannot send', { retriable: true, cause: root });
  t.true(e instanceof Error);
  t.is(e.name, 'StreamsError');
  t.true(e.retriable);
  t.is(e.cause, root);
  t.is(String(e), 'StreamsError: Cannot send');
  const plain = new StreamsError('no cause');
  t.false(plain.retriable);
  t.false('cause' in plain, 'no own cause property when there is no cause, as new Error(m)');
});

test('a TopologyError thrown by build() is a non-retriable StreamsError with its step', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', { keySerde: Serdes.String(), valueSerde: Serdes.String() }).map((k, v) => ({ key: v.length, value: k })).to('out');
  const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
  t.true(e instanceof StreamsError);
  t.is(e.name, 'TopologyError');
  t.false(e.retriable);
  t.is(e.step, 'KSTREAM-SINK-0000000002');
});

test('a SerdeError thrown by a serde is a non-retriable StreamsError with serde, topic, operation and bytes', (t) => {
  const e = t.throws(() => Serdes.Long().deserialize('counts', new Uint8Array(4)), { instanceOf: SerdeError })!;
  t.true(e instanceof StreamsError);
  t.is(e.name, 'SerdeError');
  t.false(e.retriable);
  t.like(e, { serde: 'Long', topic: 'counts', operation: 'deserialize', bytes: 4 });
  const cause = new SyntaxError('Unexpected end of JSON input');
  const wrapped = new SerdeError({ serde: 'JSON', topic: 't', operation: 'deserialize', problem: 'got bad JSON', cause });
  t.is(wrapped.cause, cause);
});

test('using a builder after build() is a TopologyError', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', { keySerde: Serdes.String(), valueSerde: Serdes.String() }).to('out');
  b.build();
  const e = t.throws(() => b.stream('other', { keySerde: Serdes.String(), valueSerde: Serdes.String() }), { instanceOf: TopologyError })!;
  t.regex(e.message, /'stream' was called after build\(\)/);
});
