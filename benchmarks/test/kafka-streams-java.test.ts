// The Java program (benchmarks/kafka-streams) builds the same workloads as kafka-workloads.ts, with the same settings
// as the ts-streams runs: checked on its sources, since compiling it needs Maven and kafka-streams' jars (~70 MB),
// which only a machine that generated the conformance cases (conformance/.m2) or ran the bench has. The bench compiles
// it before every run (java-bench.ts).
import { readFileSync } from 'node:fs';
import test from 'ava';
import { HOPPING_ADVANCE_MS, HOPPING_WINDOW_MS, JOIN_WINDOW_MS, WINDOW_MS, WORKLOADS } from '../src/kafka-workloads.ts';

const java = (file: string) => readFileSync(new URL(`../kafka-streams/src/main/java/dev/tsstreams/bench/${file}`, import.meta.url), 'utf8');
const ts = (file: string) => readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8');

test('Workloads.java has a topology for each workload of kafka-workloads.ts that has one, and no other', (t) => {
  const cases = [...java('Workloads.java').matchAll(/case "(W\w+)" ->/g)].map((m) => m[1]);
  t.deepEqual(cases, WORKLOADS.filter((w) => w.topology !== undefined).map((w) => w.id));
});

test('both sides use the same windows and the same Streams settings', (t) => {
  const workloads = java('Workloads.java');
  t.is(WINDOW_MS, 5 * 60_000);
  t.regex(workloads, /TimeWindows\.ofSizeAndGrace\(Duration\.ofMinutes\(5\), Duration\.ofMinutes\(1\)\)/);
  t.deepEqual([HOPPING_WINDOW_MS, HOPPING_ADVANCE_MS], [1000, 500]);
  t.regex(workloads, /TimeWindows\.ofSizeAndGrace\(Duration\.ofSeconds\(1\), Duration\.ofMinutes\(1\)\)\.advanceBy\(Duration\.ofMillis\(500\)\)/);
  t.is(JOIN_WINDOW_MS, 10_000);
  t.regex(workloads, /JoinWindows\.ofTimeDifferenceAndGrace\(Duration\.ofSeconds\(10\), Duration\.ofMinutes\(1\)\)/);
  t.regex(workloads, /persistentWindowStore\("store", Duration\.ofSeconds\(3\), Duration\.ofSeconds\(1\), false\)/);
  t.regex(ts('kafka-workloads.ts'), /retentionMs: 3000, windowSizeMs: 1000/);

  const streams = java('StreamsRun.java');
  t.regex(streams, /NUM_STREAM_THREADS_CONFIG, 1\)/);
  t.regex(streams, /PROCESSING_GUARANTEE_CONFIG, StreamsConfig\.AT_LEAST_ONCE\)/);
  t.regex(streams, /COMMIT_INTERVAL_MS_CONFIG, 30_000\)/);
  t.regex(streams, /STATESTORE_CACHE_MAX_BYTES_CONFIG, 10L \* 1024 \* 1024\)/);
  t.regex(streams, /MAX_POLL_RECORDS_CONFIG\), 1000\)/);
  t.regex(ts('streams-run.ts'), /commitIntervalMs: 30_000, cacheMaxBytes: 10 \* 1024 \* 1024, maxPollRecords: 1000/);
});
