import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, TimeWindows, SessionWindows } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

// emitStrategy('on-window-close') reads closed windows after the record's own writes, from Kafka Streams'
// time-ordered stores. The conformance suite replays Kafka's output through in-memory stores; this runs two of its
// cases on RocksDB stores too (TopologyTestDriver.create), with and without a cache, against the same Kafka output.

type Rec = { key: any; value: any; timestamp: number };
const fmt = (r: Rec) => `${r.key.key}@${r.key.window.start}/${r.key.window.end}=${r.value}@${r.timestamp}`;
const drivers = [
  { name: 'in-memory', make: (t: ReturnType<typeof tumbling>, cacheMaxBytes: number) => Promise.resolve(new TopologyTestDriver(t, { cacheMaxBytes })) },
  { name: 'rocksdb', make: (t: ReturnType<typeof tumbling>, cacheMaxBytes: number) => TopologyTestDriver.create(t, { cacheMaxBytes }) },
];

function tumbling() {
  const b = new StreamsBuilder();
  b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
    .windowedBy(TimeWindows.ofSizeWithNoGrace(5000))
    .emitStrategy('on-window-close')
    .count(Materialized.with(Serdes.String(), Serdes.Long()))
    .toStream()
    .to('output', Produced.with(Serdes.timeWindowed(Serdes.String(), 5000), Serdes.Long()));
  return b.build();
}

function session() {
  const b = new StreamsBuilder();
  b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
    .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(1000))
    .emitStrategy('on-window-close')
    .count(Materialized.with(Serdes.String(), Serdes.Long()))
    .toStream()
    .to('output', Produced.with(Serdes.sessionWindowed(Serdes.String()), Serdes.Long()));
  return b.build();
}

for (const { name, make } of drivers) {
  test(`${name}: tumbling, no grace (conformance case window-emit-on-window-close-no-grace)`, async (t) => {
    const expected: Record<number, string[]> = {
      0: ['a@0/5000=2@4999', 'b@5000/10000=2@7000', 'a@20000/25000=1@20000'],
      // the cache still holds [10000,15000) when a@20000 is written: it is emitted
      [10 * 1024 * 1024]: ['a@0/5000=2@4999', 'b@5000/10000=2@7000', 'a@10000/15000=1@10000', 'a@20000/25000=1@20000'],
    };
    for (const cache of [0, 10 * 1024 * 1024]) {
      const d = await make(tumbling(), cache);
      const input = d.createInputTopic('input', Serdes.String(), Serdes.String());
      for (const [k, ts] of [['a', 0], ['a', 4999], ['b', 5000], ['b', 7000], ['a', 10000], ['a', 20000], ['c', 25000]] as const) input.pipeInput(k, 'v', ts);
      t.deepEqual(d.createOutputTopic('output', Serdes.timeWindowed(Serdes.String(), 5000), Serdes.Long()).readRecordsToList().map(fmt), expected[cache], `cache ${cache}`);
      await d.close();
    }
  });

  test(`${name}: sessions, a jump of minutes drops the segment of a closed session (window-session-emit-on-window-close-expired-by-put)`, async (t) => {
    for (const cache of [0, 10 * 1024 * 1024]) {
      const d = await make(session(), cache);
      const input = d.createInputTopic('input', Serdes.String(), Serdes.String());
      for (const [k, ts] of [['a', 1000], ['a', 1500], ['b', 3000], ['b', 3900], ['c', 5000], ['c', 59000], ['d', 59500], ['d', 185000], ['e', 190000]] as const) input.pipeInput(k, 'v', ts);
      t.deepEqual(
        d.createOutputTopic('output', Serdes.sessionWindowed(Serdes.String()), Serdes.Long()).readRecordsToList().map(fmt),
        ['a@1000/1500=2@1500', 'b@3000/3900=2@3900', 'c@5000/5000=1@5000', 'd@185000/185000=1@185000'],
        `cache ${cache}`,
      );
      await d.close();
    }
  });
}
