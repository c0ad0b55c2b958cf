// The suite's figures from its runs: medians with min–max, CPU per million records, MB/s, start-up, and the ratios
// ts-streams / Kafka Streams (against the targets) and ts-streams / its client's raw consume.
import test from 'ava';
import { workload } from '../src/kafka-workloads.ts';
import type { SuiteFailure, SuiteRun } from '../src/suite-results.ts';
import { median } from '../src/bench-format.ts';
import { summarize } from '../src/suite-summary.ts';
import { suiteSystems } from '../src/suite-systems.ts';

const shape = { id: 'uniform-100', label: 'uniform keys, 100 B values', skew: 0, valueBytes: 100, records: 1_000_000, joinPairs: 0, loadRecordsPerSec: 0, meanKeyBytes: 4 };

function run(system: string, id: string, round: number, seconds: number, cpu: number, startupMs?: number): SuiteRun {
  return {
    workload: id, applicationId: `${system}-${id}-${round}`, processed: 1_000_000, dropped: 0, startMs: 100, processMs: seconds * 1000,
    closeMs: 200, cpuSeconds: cpu, cpuSecondsWithClose: cpu + 0.5, maxRssBytes: (300 + round) * 2 ** 20, pendingAtProcessed: 0,
    gcMs: { minor: 0, major: 0 }, shape: shape.id, system, round, load1m: 1, recordsPerSec: 1_000_000 / seconds,
    ...(startupMs === undefined ? {} : { startupMs }),
  };
}

test('medians, spreads and ratios of each workload and system; a failed run counts but has no figure', (t) => {
  t.is(median([3, 1, 2]), 2);
  t.is(median([4, 1, 3, 2]), 2.5);
  const systems = suiteSystems(['kafka-streams', 'ts-streams', 'java-client', 'node-client'], ['kafkajs']);
  const runs = [
    run('client/kafkajs', 'W0', 1, 2, 2), run('client/kafkajs', 'W0', 2, 2.5, 2.2), run('client/kafkajs', 'W0', 3, 1.6, 2.4),
    run('kafka-streams', 'W5', 1, 2.5, 10, 3000), run('kafka-streams', 'W5', 2, 2, 12, 2000), run('kafka-streams', 'W5', 3, 4, 11, 4000),
    run('ts-streams/kafkajs', 'W5', 1, 4, 5, 1000), run('ts-streams/kafkajs', 'W5', 2, 5, 6, 1200),
  ];
  const failures: SuiteFailure[] = [{ shape: shape.id, workload: 'W5', system: 'ts-streams/kafkajs', round: 3, reason: 'its final counts sum to 999,000, not 1,000,000' }];
  const { rows, ratios } = summarize([shape], [workload('W0'), workload('W5')], systems, runs, failures);

  t.deepEqual(rows.map((r) => [r.workload, r.system, r.runs, r.failed]), [
    ['W0', 'client/kafkajs', 3, 0], ['W5', 'kafka-streams', 3, 0], ['W5', 'ts-streams/kafkajs', 2, 1],
  ], 'no row for a workload a system did not run');
  const ks = rows.find((r) => r.system === 'kafka-streams')!;
  t.deepEqual(ks.recordsPerSec, { median: 400_000, min: 250_000, max: 500_000 });
  t.is(ks.cpuSecPerM, 11);
  t.is(ks.cpuSecPerMWithClose, 11.5);
  t.is(ks.startupMs, 3000);
  t.is(ks.peakRssMiB, 302);
  t.is(ks.mbPerSec, (400_000 * 104) / 1e6, 'value and mean key bytes');
  const ts = rows.find((r) => r.system === 'ts-streams/kafkajs')!;
  t.deepEqual(ts.recordsPerSec, { median: 225_000, min: 200_000, max: 250_000 });

  t.is(ratios.length, 1, 'ratios are ts-streams\'s');
  const [r] = ratios;
  t.is(r!.toKafkaStreams, 225_000 / 400_000);
  t.is(r!.toRawClient, 225_000 / 500_000, 'against the kafkajs raw consume (W0) median');
  t.is(r!.target, 0.7);
  t.false(r!.met);
});
