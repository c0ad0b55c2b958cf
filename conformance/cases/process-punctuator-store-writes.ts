import { StreamsBuilder, Serdes, Consumed, Produced, NO_HEADERS } from '@ts-streams/dsl';
import type { ProcessorContext, StoreSpec } from '@ts-streams/dsl';
import type { KeyValueStore } from '@ts-streams/state';
import type { ConformanceCase } from '../ts/conformance-case.ts';

// Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), <value serde>)
const store = (name: string, valueSerde: StoreSpec['valueSerde']): StoreSpec => ({
  name,
  type: 'key-value',
  keySerde: Serdes.String(),
  valueSerde,
  backend: 'in-memory',
  caching: false,
  logging: true,
  logConfig: {},
  generatedName: false,
});

export default {
  build() {
    const b = new StreamsBuilder();
    b.addStateStore(store('tick-store', Serdes.Long()));
    b.addStateStore(store('down-store', Serdes.String()));
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .process<string, string | null>(() => {
        let ticks: KeyValueStore<string, number>;
        let ctx: ProcessorContext<string, string | null>;
        return {
          init(c) {
            ctx = c;
            ticks = c.getStateStore<KeyValueStore<string, number>>('tick-store');
            c.schedule(1000, 'wall-clock-time', (ts) => {
              ticks.put('tick', ts);
              ticks.delete('seen');
              c.forward({ key: 'p', value: 'v@' + ts, timestamp: ts - 100, headers: NO_HEADERS });
              c.forward({ key: 'q', value: null, timestamp: ts - 200, headers: NO_HEADERS });
            });
          },
          process(r) {
            ticks.put('seen', r.timestamp);
            ctx.forward(r);
          },
        };
      }, { stores: ['tick-store'] })
      .process<string, string | null>(() => {
        let down: KeyValueStore<string, string>;
        let ctx: ProcessorContext<string, string | null>;
        return {
          init(c) {
            ctx = c;
            down = c.getStateStore<KeyValueStore<string, string>>('down-store');
          },
          process(r) {
            if (r.key === null) return;
            if (r.value === null) down.delete(r.key);
            else down.put(r.key, r.value);
            ctx.forward(r);
          },
        };
      }, { stores: ['down-store'] })
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
