import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ProcessorContext, StoreSpec } from '@ts-streams/dsl';
import type { KeyValueStore } from '@ts-streams/state';
import type { ConformanceCase } from '../ts/conformance-case.ts';

// Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("seen-store"), Serdes.String(), Serdes.Long())
const seenStore: StoreSpec = {
  name: 'seen-store',
  type: 'key-value',
  keySerde: Serdes.String(),
  valueSerde: Serdes.Long(),
  backend: 'in-memory',
  caching: false,
  logging: true,
  logConfig: {},
  generatedName: false,
};

export default {
  build() {
    const b = new StreamsBuilder();
    b.addStateStore(seenStore);
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .process<string, string>(() => {
        let ctx: ProcessorContext<string, string>;
        return {
          init(c) {
            ctx = c;
          },
          process(r) {
            ctx.forward({ ...r, value: r.value + '-p' });
          },
        };
      })
      .process<string, string>(() => {
        let ctx: ProcessorContext<string, string>;
        let store: KeyValueStore<string, number>;
        return {
          init(c) {
            ctx = c;
            store = c.getStateStore<KeyValueStore<string, number>>('seen-store');
          },
          process(r) {
            const old = store.get(r.key);
            const count = old === undefined ? 1 : old + 1;
            store.put(r.key, count);
            ctx.forward({ ...r, value: r.value + '#' + count });
          },
        };
      }, { name: 'counter', stores: ['seen-store'] })
      .processValues<string>(() => {
        let ctx: ProcessorContext<string, string>;
        return {
          init(c) {
            ctx = c;
          },
          process(r) {
            ctx.forward({ ...r, value: r.value.toUpperCase() });
          },
        };
      })
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
