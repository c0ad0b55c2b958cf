import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, JoinWindows } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

// Which repartition topics keep null-key records (KIP-962). The conformance cases *-null-key-repartition pin the
// joins against Kafka Streams; these pin the edges of "downstream".

const S = () => Consumed.with(Serdes.String(), Serdes.String());
const nullable = () => Produced.with<string | null, string>(Serdes.String(), Serdes.String());
const toNullKey = (_k: string | null, v: string) => (v.startsWith('-') ? null : v);

test('a user topic written and read again does not link a repartition to a left join behind it', async (t) => {
  const b = new StreamsBuilder();
  b.stream('in', S()).selectKey(toNullKey).repartition({ name: 'r', keySerde: Serdes.String(), valueSerde: Serdes.String() }).to('mid', nullable());
  const table = b.table('table', Consumed.with<string | null, string>(Serdes.String(), Serdes.String()));
  b.stream('mid', Consumed.with<string | null, string>(Serdes.String(), Serdes.String())).leftJoin(table, (v, tv) => `${v}+${tv}`).to('out', nullable());
  const d = new TopologyTestDriver(b.build(), { applicationId: 'app' });
  d.createInputTopic('in', Serdes.String(), Serdes.String()).pipeValueList(['x', '-y']);
  t.deepEqual(d.createOutputTopic('app-r-repartition', Serdes.String(), Serdes.String()).readKeyValuesToList(), [{ key: 'x', value: 'x' }]);
  t.deepEqual(d.createOutputTopic('out', Serdes.String(), Serdes.String()).readValuesToList(), ['x+null']);
  await d.close();
});

test('an inner stream-stream join downstream keeps dropping null keys; a left join behind a second repartition does not', async (t) => {
  const b = new StreamsBuilder();
  const rekeyed = b.stream('in', S()).selectKey(toNullKey);
  rekeyed.repartition({ name: 'inner', keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .join(b.stream('other', Consumed.with<string | null, string>(Serdes.String(), Serdes.String())), (v, o) => `${v}+${o}`, JoinWindows.ofTimeDifferenceWithNoGrace(1000), { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() })
    .to('out-inner', nullable());
  rekeyed.repartition({ name: 'first', keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .selectKey((k) => k) // a key change: the join below repartitions again
    .leftJoin(b.table('table', Consumed.with<string | null, string>(Serdes.String(), Serdes.String())), (v, tv) => `${v}+${tv}`, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .to('out-left', nullable());
  const d = new TopologyTestDriver(b.build(), { applicationId: 'app' });
  d.createInputTopic('in', Serdes.String(), Serdes.String()).pipeValueList(['x', '-y']);
  t.deepEqual(d.createOutputTopic('app-inner-repartition', Serdes.String(), Serdes.String()).readValuesToList(), ['x'], 'only an inner join below: dropped');
  t.deepEqual(d.createOutputTopic('app-first-repartition', Serdes.String(), Serdes.String()).readValuesToList(), ['x', '-y'], 'a left join below a second repartition: kept');
  t.deepEqual(d.createOutputTopic('out-left', Serdes.String(), Serdes.String()).readKeyValuesToList(), [{ key: 'x', value: 'x+null' }, { key: null, value: '-y+null' }]);
  await d.close();
});
