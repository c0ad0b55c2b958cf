import { StreamsBuilder, Serdes, Consumed, Produced, NO_HEADERS } from '@ts-streams/dsl';
import type { Processor, ProcessorContext, PunctuationType, StoreSpec } from '@ts-streams/dsl';
import type { KeyValueStore } from '@ts-streams/state';
import type { ConformanceCase } from '../ts/conformance-case.ts';

/**
 * ProcessCases.CountingPunctuator: counts per key in "process-store"; a punctuator every 1000ms forwards
 * "count@punctuateTime" for every key in store order, with the punctuation timestamp as record timestamp.
 */
function countingPunctuator(type: PunctuationType, forwardEach: boolean): Processor<string | null, string | null, string, string> {
  let store: KeyValueStore<string, number>;
  let ctx: ProcessorContext<string, string>;
  return {
    init(c) {
      ctx = c;
      store = c.getStateStore<KeyValueStore<string, number>>('process-store');
      c.schedule(1000, type, (ts) => {
        for (const kv of store.all()) {
          c.forward({ key: kv.key, value: kv.value + '@' + ts, timestamp: ts, headers: NO_HEADERS });
        }
      });
    },
    process(r) {
      if (r.key === null) return;
      const old = store.get(r.key);
      const n = old === undefined ? 1 : old + 1;
      store.put(r.key, n);
      if (forwardEach) ctx.forward({ ...r, key: r.key, value: 'seen:' + n });
    },
  };
}

// Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("process-store"), Serdes.String(), Serdes.Long())
const processStore: StoreSpec = {
  name: 'process-store',
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
    b.addStateStore(processStore);
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .process(() => countingPunctuator('wall-clock-time', false), { stores: ['process-store'] })
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
