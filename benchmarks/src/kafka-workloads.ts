import { StreamsBuilder, Serdes, Consumed, Produced, TimeWindows, type Topology } from '@ts-streams/dsl';

/**
 * The Kafka benchmark's workloads (`npm run bench -- kafka`), as Kafka Streams' SimpleBenchmark shapes them: input
 * keys are integer strings, values 100 opaque bytes (read as bytes: no value serde work, as SimpleBenchmark's
 * ByteArray values). W0 is no topology: the raw kafkajs consumer the runtime is built on (its ceiling).
 */
export type WorkloadId = 'W0' | 'W1' | 'W2' | 'W5' | 'W6';

export interface Workload {
  readonly id: WorkloadId;
  readonly label: string;
  /** Its target as a fraction of W0's records/s (the issue's), if it has one. */
  readonly target?: number;
  /** Kafka Streams 4.4.0's figure for the same shape on this machine (FACTS.md), records/s. */
  readonly kafkaStreams?: number;
  /** What the output topic holds once the app closed: checked after each run (a run that lost records has no figure). */
  readonly output: 'none' | 'every-record' | 'final-counts';
  readonly topology?: (topics: WorkloadTopics) => Topology;
}

export interface WorkloadTopics {
  readonly input: string;
  readonly output: string;
}

/** The 5-minute tumbling windows of W6 (1-minute grace), as Kafka Streams' measured run and the page-views example. */
export const WINDOW_MS = 5 * 60_000;

const keys = Serdes.String();
const values = Serdes.ByteArray();

export const WORKLOADS: readonly Workload[] = [
  { id: 'W0', label: 'raw kafkajs eachBatch consume', output: 'none' },
  {
    id: 'W1', label: 'source → peek', target: 0.9, kafkaStreams: 899_000, output: 'none',
    topology: ({ input }) => {
      const b = new StreamsBuilder();
      let seen = 0;
      b.stream(input, Consumed.with(keys, values)).peek(() => { seen++; });
      return b.build();
    },
  },
  {
    id: 'W2', label: 'source → sink', kafkaStreams: 408_000, output: 'every-record',
    topology: ({ input, output }) => {
      const b = new StreamsBuilder();
      b.stream(input, Consumed.with(keys, values)).to(output, Produced.with(keys, values));
      return b.build();
    },
  },
  {
    id: 'W5', label: 'groupByKey().count() → sink', target: 0.6, kafkaStreams: 390_000, output: 'final-counts',
    topology: ({ input, output }) => {
      const b = new StreamsBuilder();
      b.stream(input, Consumed.with(keys, values)).groupByKey().count().toStream().to(output, Produced.with(keys, Serdes.Long()));
      return b.build();
    },
  },
  {
    id: 'W6', label: '5-minute windowed count → sink', target: 0.6, kafkaStreams: 308_000, output: 'final-counts',
    topology: ({ input, output }) => {
      const b = new StreamsBuilder();
      b.stream(input, Consumed.with(keys, values))
        .groupByKey()
        .windowedBy(TimeWindows.ofSizeAndGrace({ minutes: 5 }, { minutes: 1 }))
        .count()
        .toStream()
        .to(output, Produced.with(Serdes.timeWindowed(keys, WINDOW_MS), Serdes.Long()));
      return b.build();
    },
  },
];

export function workload(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id);
  if (w === undefined) throw new Error(`Unknown workload '${id}': use ${WORKLOADS.map((x) => x.id).join(', ')}.`);
  return w;
}
