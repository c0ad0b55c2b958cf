import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Materialized } from '@ts-streams/dsl';
import type { ProcessorContext } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const S = Serdes.String();
const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));

test("a count's changelog holds Kafka Streams' bytes: the plain Long, stamped with the count's timestamp", (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, S)).groupByKey().count(Materialized.as('counts'));
  const d = new TopologyTestDriver(b.build(), { applicationId: 'app', cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, S);
  input.pipeInput('a', 'x', 1000, [{ key: 'h', value: Buffer.from('1') }]);
  input.pipeInput('a', 'y', 900);
  const log = d.emitted.filter((r) => r.topic === 'app-counts-changelog');
  // As Kafka Streams 4.4.0 writes them: no headers on changelog records, whatever the input had.
  t.deepEqual(log.map((r) => [hex(r.key), hex(r.value), r.timestamp, r.headers.length]), [
    ['61', '0000000000000001', 1000, 0],
    ['61', '0000000000000002', 1000, 0], // the count's timestamp is the max of its records'
  ]);
  d.close();
});

test('a store written by a step downstream of a forward stamps its changelog records with the forwarded record\'s timestamp, as Kafka\'s record context', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, S))
    .processValues<string>(() => {
      let ctx!: ProcessorContext<string, string>;
      return {
        init(c) { ctx = c; },
        process(r) { ctx.forward({ ...r, timestamp: r.timestamp + 500 }); },
      };
    })
    .toTable(Materialized.as<string, string>('latest', { keySerde: S, valueSerde: S }));
  const d = new TopologyTestDriver(b.build(), { applicationId: 'app', cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, S);
  input.pipeInput('a', 'v', 1000);
  input.pipeInput('a', null, 2000); // a tombstone: stamped with the record the store's step was handed (2500), not the input's
  const log = d.emitted.filter((r) => r.topic === 'app-latest-changelog');
  t.deepEqual(log.map((r) => [hex(r.key), hex(r.value), r.timestamp]), [['61', '76', 1500], ['61', null, 2500]]);
  d.close();
});
