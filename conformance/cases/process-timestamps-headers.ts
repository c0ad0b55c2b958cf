import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ProcessorContext, StoreSpec } from '@ts-streams/dsl';
import type { KeyValueStore } from '@ts-streams/state';
import type { ConformanceCase } from '../ts/conformance-case.ts';

// Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("last-store"), Serdes.String(), Serdes.String())
const lastStore: StoreSpec = {
  name: 'last-store',
  type: 'key-value',
  keySerde: Serdes.String(),
  valueSerde: Serdes.String(),
  backend: 'rocksdb',
  caching: false,
  logging: true,
  logConfig: {},
  generatedName: false,
};

export default {
  build() {
    const b = new StreamsBuilder();
    b.addStateStore(lastStore);
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .process<string | null, string>(() => {
        let ctx: ProcessorContext<string | null, string>;
        let store: KeyValueStore<string, string>;
        return {
          init(c) {
            ctx = c;
            store = c.getStateStore<KeyValueStore<string, string>>('last-store');
          },
          process(r) {
            const prev = r.key === null ? null : (store.get(r.key) ?? null);
            if (r.key !== null) store.put(r.key, r.value);
            ctx.forward({
              key: r.key,
              value: prev + '->' + r.value,
              timestamp: r.timestamp + 1,
              headers: [...r.headers, { key: 'prev', value: prev === null ? null : Buffer.from(prev, 'utf8') }],
            });
            ctx.forward({ key: r.key, value: 'copy', timestamp: 7, headers: [] });
          },
        };
      }, { stores: ['last-store'] })
      .to('output', Produced.with<string | null, string>(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
