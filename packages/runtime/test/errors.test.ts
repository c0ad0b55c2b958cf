import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, StreamsError, SerdeError } from '@ts-streams/dsl';
import { StoreSerdeError } from '@ts-streams/state';
import { DeserializationError, ProcessingError, StreamsError as RuntimeStreamsError } from '@ts-streams/runtime';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const S = Serdes.String();

test("the runtime's StreamsError is the DSL's one base", (t) => {
  t.is(RuntimeStreamsError, StreamsError);
});

test('bytes the source serde cannot read: a DeserializationError with topic, partition and offset, the SerdeError as cause', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, Serdes.Long())).to('out', Produced.with(S, Serdes.Long()));
  const d = new TopologyTestDriver(b.build());
  d.pipeRaw('in', null, Buffer.from('0000000000000001', 'hex'), 0);
  const e = t.throws(() => d.pipeRaw('in', null, Buffer.from('0001', 'hex'), 1), { instanceOf: DeserializationError })!;
  t.true(e instanceof StreamsError);
  t.is(e.name, 'DeserializationError');
  t.false(e.retriable);
  t.like(e, { topic: 'in', partition: 0, offset: 1 });
  t.true(e.cause instanceof SerdeError);
  void d.close();
});

test('a user function that throws: a ProcessingError with the step and the record, the thrown error as cause', (t) => {
  const b = new StreamsBuilder();
  const boom = new RangeError('boom');
  b.stream('in', Consumed.with(S, S)).mapValues((v) => {
    if (v === 'bad') throw boom;
    return v;
  }, { name: 'upper' }).to('out', Produced.with(S, S));
  const d = new TopologyTestDriver(b.build());
  const input = d.createInputTopic('in', S, S);
  input.pipeInput('k', 'good', 0);
  const e = t.throws(() => input.pipeInput('k', 'bad', 1), { instanceOf: ProcessingError })!;
  t.true(e instanceof StreamsError);
  t.is(e.name, 'ProcessingError');
  t.false(e.retriable);
  t.like(e, { step: 'upper', topic: 'in', partition: 0, offset: 1 });
  t.is(e.cause, boom);
  t.regex(e.message, /Step 'upper' of task .* threw while processing in-0@1: boom/);
  void d.close();
});

test('a serde or store error inside a step is still wrapped in a ProcessingError naming the step (now that they are StreamsErrors too)', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, S)).mapValues((v) => v as unknown as number).to('out', Produced.with(S, Serdes.Long()));
  const d = new TopologyTestDriver(b.build());
  const e = t.throws(() => d.createInputTopic('in', S, S).pipeInput('k', 'not a number', 0), { instanceOf: ProcessingError })!;
  t.true(e.cause instanceof SerdeError);
  t.is(e.step, 'KSTREAM-SINK-0000000002');
  void d.close();

  const b2 = new StreamsBuilder();
  b2.stream('in', Consumed.with(S, S)).mapValues((v) => v as unknown as number).groupByKey().reduce((a, x) => a + x, { storeName: 'sums', valueSerde: Serdes.Long() });
  const d2 = new TopologyTestDriver(b2.build(), { cacheMaxBytes: 0 });
  const e2 = t.throws(() => d2.createInputTopic('in', S, S).pipeInput('k', 'not a number', 0), { instanceOf: ProcessingError })!;
  t.true(e2.cause instanceof StoreSerdeError);
  t.is((e2.cause as StoreSerdeError).store, 'sums');
  t.is(e2.step, 'KSTREAM-REDUCE-0000000002');
  void d2.close();
});

test("a StreamsError the runtime raises in a step reaches the caller as it is (its message names the step)", (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, S)).map((): { key: string; value: string } => null as never, { name: 'bad-map' }).to('out', Produced.with(S, S));
  const d = new TopologyTestDriver(b.build());
  const e = t.throws(() => d.createInputTopic('in', S, S).pipeInput('k', 'v', 0))!;
  t.is(Object.getPrototypeOf(e), StreamsError.prototype);
  t.regex(e.message, /map\(\) mapper of 'bad-map' must return \{ key, value \}/);
  void d.close();
});
