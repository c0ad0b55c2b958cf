// The page-views app on Kafka as a process of its own, for the tests that run several of them or kill one
// (page-views-*-kafka.test.ts): what a deployment runs, minus the config file. Its config is JSON in argv[2]:
// KafkaStreams' options plus `topics` (see PageViewsTopics). It writes one JSON line per event to stdout:
//   { "log": "..." }                               a line of the application's log
//   { "state": "RUNNING", "metrics": { ... } }     each state change, with metrics() at that moment
// SIGTERM or SIGINT closes it cleanly (KafkaStreams#close: tasks committed and checkpointed, the group left); it
// exits 0 once NOT_RUNNING after a clean shutdown, 1 after an error.
import { KafkaStreams, type StreamsConfig } from '@ts-streams/runtime';
import { pageViewsTopology, type PageViewsTopics } from './topology.ts';

const { topics, ...config } = JSON.parse(process.argv[2] ?? '{}') as StreamsConfig & { topics?: PageViewsTopics };

function emit(event: object): void {
  // stdout to a pipe is synchronous on Linux: a line written is out before a kill -9 that follows.
  process.stdout.write(JSON.stringify(event) + '\n');
}

const app = new KafkaStreams(pageViewsTopology(topics), config, { log: (line) => emit({ log: line }) });
app.state$.subscribe((state) => {
  emit({ state, metrics: app.metrics() });
  if (state === 'NOT_RUNNING' || state === 'ERROR') {
    if (app.error !== undefined) emit({ log: `error: ${(app.error as Error)?.stack ?? String(app.error)}` });
    process.exit(state === 'NOT_RUNNING' && app.error === undefined ? 0 : 1);
  }
});
// KafkaStreams stops on these signals itself once running; before that, close() waits for the start to finish.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void app.close());
await app.start().catch(() => undefined); // a failed start ends in ERROR: reported above
