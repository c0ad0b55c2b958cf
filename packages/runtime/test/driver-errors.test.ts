import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, Grouped, StreamsError } from '@ts-streams/dsl';
import { DeserializationError, ProcessingError } from '@ts-streams/runtime';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const S = Serdes.String();

/** Upper-cases values; throws on 'bad'; counts per key into 'counts' too. */
function topology() {
  const b = new StreamsBuilder();
  const upper = b.stream('in', Consumed.with(S, S)).mapValues((v) => {
    if (v === 'bad') throw new Error(`cannot handle ${v}`);
    return v.toUpperCase();
  });
  upper.to('out', Produced.with(S, S));
  upper.groupByKey().count(Materialized.as('counts')).toStream().to('counts', Produced.with(S, Serdes.Long()));
  return b.build();
}

for (const commit of ['per-record', 'per-pipe', 'manual'] as const) {
  test(`commit ${commit}: after a processing error the driver stays usable, as Kafka's: the failed record is dropped, the error thrown once`, (t) => {
    const d = new TopologyTestDriver(topology(), { commit });
    const input = d.createInputTopic('in', S, S);
    const out = d.createOutputTopic('out', S, S);
    input.pipeInput('a', 'x', 1);
    t.throws(() => input.pipeInput('a', 'bad', 2), { instanceOf: ProcessingError, message: /cannot handle bad/ });
    input.pipeInput('a', 'y', 3);
    input.pipeInput('b', 'z', 4);
    d.commit();
    t.deepEqual(out.readKeyValuesToList(), [{ key: 'a', value: 'X' }, { key: 'a', value: 'Y' }, { key: 'b', value: 'Z' }]);
    t.is(d.getKeyValueStore<string, number>('counts').get('a'), 2, 'the failed record was not counted');
    t.notThrows(() => d.advanceWallClockTime(10));
    return d.close();
  });
}

test('after a deserialization error the driver stays usable: the unreadable record is dropped', async (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, Serdes.Long())).mapValues((n) => n + 1).to('out', Produced.with(S, Serdes.Long()));
  const d = new TopologyTestDriver(b.build());
  const long = (n: number) => { const x = Buffer.alloc(8); x.writeBigInt64BE(BigInt(n)); return x; };
  t.throws(() => d.pipeRaw('in', null, Buffer.from('0001', 'hex'), 0), { instanceOf: DeserializationError });
  d.pipeRaw('in', null, long(41), 1);
  t.deepEqual(d.createOutputTopic('out', S, Serdes.Long()).readValuesToList(), [42]);
  await d.close();
});

test('close() after a processing error still commits what the caches hold', async (t) => {
  const d = new TopologyTestDriver(topology(), { commit: 'manual' });
  const input = d.createInputTopic('in', S, S);
  input.pipeInput('a', 'x', 1);
  t.throws(() => input.pipeInput('a', 'bad', 2), { instanceOf: ProcessingError });
  await d.close();
  t.deepEqual(d.createOutputTopic('counts', S, Serdes.Long()).readKeyValuesToList(), [{ key: 'a', value: 1 }]);
});

test('createOutputTopic for a topic the topology never writes fails, listing the topics it writes', (t) => {
  const d = new TopologyTestDriver(topology(), { applicationId: 'app' });
  const e = t.throws(() => d.createOutputTopic('outt', S, S), { instanceOf: StreamsError })!;
  t.is(e.message, "Unknown output topic 'outt': the topology writes 'out', 'counts', 'app-counts-changelog'. Check the topic name (internal topics are named '<applicationId>-<name>').");
  const input = t.throws(() => d.createOutputTopic('in', S, S), { instanceOf: StreamsError })!;
  t.regex(input.message, /^Unknown output topic 'in': the topology writes .*; it reads 'in' \(write to it with createInputTopic\)\./);
  t.notThrows(() => d.createOutputTopic('out', S, S));
  t.notThrows(() => d.createOutputTopic('app-counts-changelog', S, Serdes.Long()), 'changelog topics are written');
  return d.close();
});

test('createOutputTopic accepts repartition topics by their full name', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, S)).selectKey((_k, v) => v).groupByKey(Grouped.with(S, S, 'by-value')).count(Materialized.as<string, number>('counts', { logging: false }));
  const d = new TopologyTestDriver(b.build(), { applicationId: 'app' });
  d.createInputTopic('in', S, S).pipeInput('k', 'v', 0);
  t.is(d.createOutputTopic('app-by-value-repartition', S, S).readValue(), 'v');
  t.throws(() => d.createOutputTopic('by-value-repartition', S, S), { message: /the topology writes 'app-by-value-repartition'/ });
  return d.close();
});

test('createOutputTopic does not check topics when a sink chooses its topic per record (it cannot be known)', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, S)).to((_k, v) => `out-${v}`, Produced.with(S, S));
  const d = new TopologyTestDriver(b.build());
  const out = d.createOutputTopic('out-x', S, S);
  t.true(out.isEmpty());
  d.createInputTopic('in', S, S).pipeInput('k', 'x', 0);
  t.is(out.readValue(), 'x');
  return d.close();
});
