// Type-checked by packages/runtime/test/installed-packages.test.ts in the project where the tarballs are installed
// (no source condition, skipLibCheck off): the published .d.ts files of every entry point resolve and type a small
// program.
import { StreamsBuilder, Serdes, Consumed, Produced, type KStream } from '@ts-streams/dsl';
import { TopologyError } from '@ts-streams/dsl/errors';
import { buildKeyValueStore, InMemoryKeyValueStore, type KeyValueStore } from '@ts-streams/state';
import { StreamsError, type ValueAndTimestamp } from '@ts-streams/runtime';
import { TopologyTestDriver, type TestRecord } from '@ts-streams/runtime/testing';

const builder = new StreamsBuilder();
const lengths: KStream<string, number> = builder
  .stream('in', Consumed.with(Serdes.String(), Serdes.String()))
  .mapValues((v) => v.length);
lengths.to('out', Produced.with(Serdes.String(), Serdes.Integer()));
const driver: Promise<TopologyTestDriver> = TopologyTestDriver.create(builder.build());
const record: TestRecord<string, number> | undefined = undefined;
const stamped: ValueAndTimestamp<number> = { value: 1, timestamp: 0 };
const store: KeyValueStore<string, number> = buildKeyValueStore<string, number>({
  inner: new InMemoryKeyValueStore('s'),
  keySerde: Serdes.String(),
  valueSerde: Serdes.Integer(),
});
const caught = (e: unknown): string => (e instanceof TopologyError || e instanceof StreamsError ? e.message : String(e));
export { driver, record, stamped, store, caught };
