import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized } from '@ts-streams/dsl';
import type { ProcessorContext, StoreSpec } from '@ts-streams/dsl';
import type { KeyValueStore } from '@ts-streams/state';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

function countTopology() {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .count(Materialized.as<string, number>('counts'))
    .toStream()
    .to('out', Produced.with(Serdes.String(), Serdes.Long()));
  return b.build();
}

const pipe = (d: TopologyTestDriver) => {
  d.createInputTopic('in', Serdes.String(), Serdes.String()).pipeKeyValueList([{ key: 'a', value: 'x' }, { key: 'a', value: 'y' }], 0, 1);
  return d.createOutputTopic('out', Serdes.String(), Serdes.Long()).readKeyValuesToList();
};

test('changelog records are captured by default, like any output topic, and can be dropped with captureChangelogs: false', async (t) => {
  const withLogs = new TopologyTestDriver(countTopology(), { cacheMaxBytes: 0 });
  const out1 = pipe(withLogs);
  const changelog = withLogs.createOutputTopic('topology-test-driver-counts-changelog', Serdes.String(), Serdes.ByteArray());
  t.is(changelog.getQueueSize(), 2);
  t.true(withLogs.producedTopicNames().includes('topology-test-driver-counts-changelog'));
  await withLogs.close();

  const without = new TopologyTestDriver(countTopology(), { cacheMaxBytes: 0, captureChangelogs: false });
  const out2 = pipe(without);
  t.deepEqual(out2, out1, 'the outputs do not change');
  t.is(without.createOutputTopic('topology-test-driver-counts-changelog', Serdes.String(), Serdes.ByteArray()).getQueueSize(), 0);
  t.is(without.emitted.filter((r) => r.topic.endsWith('-changelog')).length, 0);
  t.is(without.getKeyValueStore<string, number>('counts').get('a'), 2, 'the store itself is unaffected');
  await without.close();
});

test('an unknown commit mode is refused with the accepted ones named', (t) => {
  const err = t.throws(() => new TopologyTestDriver(countTopology(), { commit: 'sometimes' as never }));
  t.regex(err!.message, /per-record.*per-pipe.*manual/);
});

test("commit: 'manual' commits only on commit(): a cached count forwards nothing before, then the latest value per key", async (t) => {
  const d = new TopologyTestDriver(countTopology(), { commit: 'manual' });
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  const out = d.createOutputTopic('out', Serdes.String(), Serdes.Long());
  input.pipeKeyValueList([{ key: 'a', value: 'x' }, { key: 'b', value: 'x' }, { key: 'a', value: 'y' }], 0, 1);
  input.pipeInput('a', 'z', 10);
  t.true(out.isEmpty(), 'nothing is committed yet, so the cache has forwarded nothing');
  t.is(d.getKeyValueStore<string, number>('counts').get('a'), 3, 'the store (through its cache) is up to date');
  d.commit();
  t.deepEqual(out.readKeyValuesToList(), [{ key: 'b', value: 1 }, { key: 'a', value: 3 }]);
  input.pipeInput('b', 'x', 11);
  d.commit();
  t.deepEqual(out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]), [['b', 2, 11]]);
  d.commit();
  t.true(out.isEmpty(), 'a commit with nothing new forwards nothing');
  await d.close();
});

test("commit: 'manual' without a cache forwards every update at once, as a commit does not change what is uncached", async (t) => {
  const d = new TopologyTestDriver(countTopology(), { commit: 'manual', cacheMaxBytes: 0 });
  t.deepEqual(pipe(d), [{ key: 'a', value: 1 }, { key: 'a', value: 2 }]);
  await d.close();
});

test("commit: 'manual' commits what the cache holds at close(): it stays readable after", async (t) => {
  const d = new TopologyTestDriver(countTopology(), { commit: 'manual' });
  const out = d.createOutputTopic('out', Serdes.String(), Serdes.Long());
  d.createInputTopic('in', Serdes.String(), Serdes.String()).pipeKeyValueList([{ key: 'a', value: 'x' }, { key: 'a', value: 'y' }], 0, 1);
  t.true(out.isEmpty());
  await d.close();
  t.deepEqual(out.readKeyValuesToList(), [{ key: 'a', value: 2 }]);
});

test('a processor writing to a logged store in init() builds a driver that drops changelogs (captureChangelogs: false)', async (t) => {
  const seeded: StoreSpec = {
    name: 'seeded', type: 'key-value', keySerde: Serdes.String(), valueSerde: Serdes.Long(), backend: 'in-memory',
    caching: false, logging: true, logConfig: {}, generatedName: false,
  };
  const b = new StreamsBuilder();
  b.addStateStore(seeded);
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
    .processValues<number>(() => {
      let ctx: ProcessorContext<string, number>;
      let store: KeyValueStore<string, number>;
      return {
        init(c) {
          ctx = c;
          store = c.getStateStore<KeyValueStore<string, number>>('seeded');
          store.put('seed', 41); // logged while the driver is still building its tasks
        },
        process(r) {
          const n = (store.get('seed') ?? 0) + 1;
          store.put('seed', n);
          ctx.forward({ ...r, value: n });
        },
      };
    }, { stores: ['seeded'] })
    .to('out', Produced.with(Serdes.String(), Serdes.Long()));
  const d = new TopologyTestDriver(b.build(), { captureChangelogs: false, cacheMaxBytes: 0 });
  d.createInputTopic('in', Serdes.String(), Serdes.String()).pipeInput('k', 'v', 0);
  t.deepEqual(d.createOutputTopic('out', Serdes.String(), Serdes.Long()).readValuesToList(), [42]);
  t.is(d.emitted.filter((r) => r.topic.endsWith('-changelog')).length, 0, 'no changelog record is kept');
  await d.close();
});
