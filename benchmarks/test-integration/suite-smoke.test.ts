// The kafka-streams suite's smoke run (issue 17), part of `npm test`: every workload (W0, W0P, W0CP, W1–W8, W6H) on
// every system — Kafka Streams 4.4.0, Kafka's Java clients, ts-streams on each client adapter and each adapter's raw
// client, and ts-streams on its embedded log (W1, W2, W5, W6) — over a tiny input, each run's output checked by the suite's own checks (run-checks.ts: records processed,
// none dropped, offsets committed, output records, final counts, W7's matches, W8's pairs). Nothing is measured: one
// JVM (Main serve) and one Node process (kafka-bench-run.ts --serve) do all the runs in turn, so that it costs about
// a minute and a half, not a process start per run.
//
// It runs once, in the first pass of `npm test` (it runs both adapters itself), on the broker KAFKA_BROKERS names:
// without one it fails in CI and is skipped elsewhere, as every Kafka test; it fails, in CI or not, when Java or
// Maven is missing (the Java side is built with Maven, offline from conformance/.m2 when the conformance cases were
// generated there, else from Maven Central).
import test from 'ava';
import { Kafka, logLevel } from 'kafkajs';
import { run } from '../src/kafka-streams-bench.ts';
import { WORKLOADS } from '../src/kafka-workloads.ts';
import { parseSuiteOptions } from '../src/suite-options.ts';
import { runsWorkload, suiteSystems } from '../src/suite-systems.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
const inCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const HOW_TO_START = "run it with 'npm test', or start a broker with 'npm run kafka -- start' and set KAFKA_BROKERS to the address it prints";

/** Why no broker can be used, or undefined when one answers at KAFKA_BROKERS. */
async function missingBroker(): Promise<string | undefined> {
  if (brokers.length === 0) return 'KAFKA_BROKERS is not set';
  const admin = new Kafka({ clientId: 'suite-smoke-broker-check', brokers, connectionTimeout: 3000, retry: { retries: 3 }, logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return undefined;
  } catch (e) {
    return `no broker answers at KAFKA_BROKERS=${brokers.join(',')} (${(e as Error).message})`;
  } finally {
    await admin.disconnect();
  }
}

const missing = await missingBroker();
const title = 'the kafka-streams suite\'s smoke run: every workload\'s output is right on every system (Kafka Streams, the Java clients, ts-streams and the raw client on each adapter, the embedded log)';

if (missing !== undefined && !inCI) {
  console.log(`Skipping the kafka-streams suite's smoke run: it needs a Kafka broker (${missing}): ${HOW_TO_START}.`);
  test.skip(title, () => {});
} else {
  test(title, async (t) => {
    if (missing !== undefined) return t.fail(`this test needs a Kafka broker and none is up: ${missing}; ${HOW_TO_START}.`);
    // ~1.5 min alone here; generous for a 2-core CI machine running other tests beside it.
    t.timeout(10 * 60_000);
    const o = parseSuiteOptions(['--smoke']);
    const results = await run(o, brokers);
    t.deepEqual(results.failures.map((f) => `${f.workload} on ${f.system}: ${f.reason}`), [], 'every run\'s output checked');
    const systems = suiteSystems(o.systems, o.clients);
    t.deepEqual(o.clients, ['kafkajs', 'kafkats'], 'both client adapters');
    const expected = WORKLOADS.flatMap((w) => systems.filter((s) => runsWorkload(s, w)).map((s) => `${w.id} on ${s.id}`));
    t.deepEqual(results.runs.map((r) => `${r.workload} on ${r.system}`).sort(), expected.sort(), 'a checked run of each workload on each system');
    t.is(expected.length, 40, 'W0, W0P, W0CP on the Java clients and both raw clients; W1–W8 and W6H on Kafka Streams and ts-streams on both adapters; W1, W2, W5, W6 on the embedded log');
  });
}
