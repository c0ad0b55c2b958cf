import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ProcessorContext, StoreSpec } from '@ts-streams/dsl';
import type { KeyValueStore } from '@ts-streams/state';
import type { ConformanceCase } from '../ts/conformance-case.ts';

// Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("totals-store"), Serdes.String(), Serdes.Long())
const totalsStore: StoreSpec = {
  name: 'totals-store',
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
    b.addStateStore(totalsStore);
    b.stream('input', Consumed.with(Serdes.String(), Serdes.Long()))
      .processValues<number>(() => {
        let ctx: ProcessorContext<string, number>;
        let store: KeyValueStore<string, number>;
        return {
          init(c) {
            ctx = c;
            store = c.getStateStore<KeyValueStore<string, number>>('totals-store');
          },
          process(r) {
            if (r.key === null || r.value === null) return;
            const old = store.get(r.key);
            const total = (old === undefined ? 0 : old) + r.value;
            store.put(r.key, total);
            ctx.forward({ ...r, value: total });
          },
        };
      }, { stores: ['totals-store'] })
      .to('output', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
