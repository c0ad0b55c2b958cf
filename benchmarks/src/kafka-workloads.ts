import { StreamsBuilder, Serdes, Consumed, Produced, TimeWindows, JoinWindows, StreamJoined, type StoreSpec, type Topology } from '@ts-streams/dsl';
import type { KeyValueStore, WindowStore } from '@ts-streams/state';

/**
 * The Kafka benchmarks' workloads, named after Kafka Streams' SimpleBenchmark (issue 17): input keys are integer
 * strings, values opaque bytes (read as bytes: no value serde work, as SimpleBenchmark's ByteArray values). The
 * same topologies on Kafka Streams are benchmarks/kafka-streams/…/Workloads.java: a change to one is a change to both.
 * W0, W0P and W0CP are no topology: each client's raw consume, produce, and consume → produce (the ceilings).
 */
export type WorkloadId = 'W0' | 'W0P' | 'W0CP' | 'W1' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6' | 'W6H' | 'W7' | 'W8';

export interface Workload {
  readonly id: WorkloadId;
  readonly label: string;
  /** Its target as a fraction of Kafka Streams' records/s in the same run (issue 17), if it has one. */
  readonly target?: number;
  /** Its target in `npm run bench -- kafka` (issue 15): a fraction of W0's records/s there. */
  readonly targetOfW0?: number;
  /** Kafka Streams 4.4.0's figure for the same shape on this machine (FACTS.md), records/s. */
  readonly kafkaStreams?: number;
  /** A raw client run (no topology): what the client does. */
  readonly raw?: 'consume' | 'produce' | 'consume-produce';
  /**
   * What the output topic holds once the run closed, checked after each run (a run that lost records has no figure):
   * every input record; final counts per key (or window) summing to the input times `windowsPerRecord`; the
   * stream-stream join's pairs (computed from the generated input).
   */
  readonly output: 'none' | 'every-record' | 'final-counts' | 'join-pairs';
  /** final-counts: how many windows each record is counted in (hopping windows: size / advance). */
  readonly windowsPerRecord?: number;
  /** A second input topic: W7's table (one record per key, loaded before the stream) or W8's other stream. */
  readonly input2?: 'table' | 'stream';
  readonly topology?: (topics: WorkloadTopics, counters: WorkloadCounters) => Topology;
}

export interface WorkloadTopics {
  readonly input: string;
  readonly output: string;
  /** W7's table topic, W8's other stream. */
  readonly input2?: string;
}

/** What a topology counts while it runs, reported with the run (W7: orders that found their table row). */
export interface WorkloadCounters {
  peeked: number;
  matched: number;
}

/** The 5-minute tumbling windows of W6 (1-minute grace), as Kafka Streams' measured run and the page-views example. */
export const WINDOW_MS = 5 * 60_000;
/** W6H: SimpleBenchmark's hopping windows (1 s, advancing 500 ms); the same 1-minute grace. */
export const HOPPING_WINDOW_MS = 1000;
export const HOPPING_ADVANCE_MS = 500;
/** W8's join window: records of the two streams at most 10 s apart join (SimpleBenchmark's). */
export const JOIN_WINDOW_MS = 10_000;
/** Grace of W6, W6H and W8: the runs process in timestamp order, so nothing should be late; this is a margin. */
const GRACE = { minutes: 1 } as const;

const keys = Serdes.String();
const values = Serdes.ByteArray();

function stream(input: string) {
  const b = new StreamsBuilder();
  return { b, in: b.stream(input, Consumed.with(keys, values)) };
}

/** Kafka's Stores.keyValueStoreBuilder(persistentKeyValueStore(name)).withCachingEnabled(): RocksDB, cached, logged. */
function persistentStore(name: string, type: 'key-value' | 'window', window?: { retentionMs: number; windowSizeMs: number }): StoreSpec {
  return {
    name, type, keySerde: keys, valueSerde: values, backend: 'rocksdb', caching: true, logging: true, logConfig: {},
    generatedName: false, ...(window === undefined ? {} : { ...window, retainDuplicates: false }),
  };
}

function required(topic: string | undefined, id: WorkloadId): string {
  if (topic === undefined) throw new Error(`${id} reads a second input topic: pass topics.input2.`);
  return topic;
}

export const WORKLOADS: readonly Workload[] = [
  { id: 'W0', label: 'raw consume', raw: 'consume', output: 'none' },
  { id: 'W0P', label: 'raw produce', raw: 'produce', output: 'every-record' },
  { id: 'W0CP', label: 'raw consume → produce', raw: 'consume-produce', output: 'every-record' },
  {
    id: 'W1', label: 'source → peek', target: 0.9, targetOfW0: 0.9, kafkaStreams: 899_000, output: 'none',
    topology: ({ input }, counters) => {
      const s = stream(input);
      s.in.peek(() => { counters.peeked++; });
      return s.b.build();
    },
  },
  {
    id: 'W2', label: 'source → sink', target: 0.8, kafkaStreams: 408_000, output: 'every-record',
    topology: ({ input, output }) => {
      const s = stream(input);
      s.in.to(output, Produced.with(keys, values));
      return s.b.build();
    },
  },
  {
    id: 'W3', label: 'key-value store get + put (Processor API)', output: 'none',
    topology: ({ input }) => {
      const s = stream(input);
      s.b.addStateStore(persistentStore('store', 'key-value'));
      s.in.process<never, never>(() => {
        let store!: KeyValueStore<string, Uint8Array>;
        return {
          init(c) { store = c.getStateStore<KeyValueStore<string, Uint8Array>>('store'); },
          process(r) {
            store.get(r.key!);
            store.put(r.key!, r.value);
          },
        };
      }, { stores: ['store'] });
      return s.b.build();
    },
  },
  {
    id: 'W4', label: 'window store fetch + put (Processor API)', output: 'none',
    topology: ({ input }) => {
      const s = stream(input);
      // SimpleBenchmark's 1 s windows kept 3 s; the fetch reads the record's own key over ±1 s (its key range,
      // key ± 10, has no meaning over integer-string keys).
      s.b.addStateStore(persistentStore('store', 'window', { retentionMs: 3000, windowSizeMs: 1000 }));
      s.in.process<never, never>(() => {
        let store!: WindowStore<string, Uint8Array>;
        return {
          init(c) { store = c.getStateStore<WindowStore<string, Uint8Array>>('store'); },
          process(r) {
            for (const _ of store.fetchRange(r.key!, r.timestamp - 1000, r.timestamp + 1000)) { /* read each */ }
            store.put(r.key!, r.value, r.timestamp);
          },
        };
      }, { stores: ['store'] });
      return s.b.build();
    },
  },
  {
    id: 'W5', label: 'groupByKey().count() → sink', target: 0.7, targetOfW0: 0.6, kafkaStreams: 390_000, output: 'final-counts',
    topology: ({ input, output }) => {
      const s = stream(input);
      s.in.groupByKey().count().toStream().to(output, Produced.with(keys, Serdes.Long()));
      return s.b.build();
    },
  },
  {
    id: 'W6', label: '5-minute tumbling count → sink', target: 0.7, targetOfW0: 0.6, kafkaStreams: 308_000, output: 'final-counts',
    topology: ({ input, output }) => {
      const s = stream(input);
      s.in.groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace({ minutes: 5 }, GRACE))
        .count()
        .toStream()
        .to(output, Produced.with(Serdes.timeWindowed(keys, WINDOW_MS), Serdes.Long()));
      return s.b.build();
    },
  },
  {
    id: 'W6H', label: '1 s hopping count (500 ms advance) → sink', target: 0.7, kafkaStreams: 52_000, output: 'final-counts',
    windowsPerRecord: HOPPING_WINDOW_MS / HOPPING_ADVANCE_MS,
    topology: ({ input, output }) => {
      const s = stream(input);
      s.in.groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace(HOPPING_WINDOW_MS, GRACE).advanceBy(HOPPING_ADVANCE_MS))
        .count()
        .toStream()
        .to(output, Produced.with(Serdes.timeWindowed(keys, HOPPING_WINDOW_MS), Serdes.Long()));
      return s.b.build();
    },
  },
  {
    id: 'W7', label: 'stream-table left join (10,000-key table) → sink', target: 0.7, kafkaStreams: 277_000, output: 'every-record', input2: 'table',
    topology: ({ input, input2, output }, counters) => {
      const s = stream(input);
      const table = s.b.table(required(input2, 'W7'), Consumed.with(keys, values));
      s.in.leftJoin(table, (order, row) => {
        if (row !== null) counters.matched++;
        return order;
      }).to(output, Produced.with(keys, values));
      return s.b.build();
    },
  },
  {
    id: 'W8', label: 'stream-stream join, 10 s window → sink', target: 0.7, kafkaStreams: 93_000, output: 'join-pairs', input2: 'stream',
    topology: ({ input, input2, output }) => {
      const s = stream(input);
      const other = s.b.stream(required(input2, 'W8'), Consumed.with(keys, values));
      s.in.join(other, (left) => left, JoinWindows.ofTimeDifferenceAndGrace(JOIN_WINDOW_MS, GRACE), StreamJoined.with(keys, values, values))
        .to(output, Produced.with(keys, values));
      return s.b.build();
    },
  },
];

export function workload(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id);
  if (w === undefined) throw new Error(`Unknown workload '${id}': use ${WORKLOADS.map((x) => x.id).join(', ')}.`);
  return w;
}
