// `npm run bench -- kafka-streams` reads its arguments into what it runs: workload selectors, shapes, systems.
import test from 'ava';
import { parseSuiteOptions, selectWorkloads } from '../src/suite-options.ts';
import { runsWorkload, suiteSystems } from '../src/suite-systems.ts';
import { WORKLOADS, workload } from '../src/kafka-workloads.ts';

test('the default run: every workload on every system (the embedded log too), 2,000,000 records of the uniform 100 B shape, 3 runs, both client adapters', (t) => {
  const o = parseSuiteOptions([]);
  t.deepEqual(o.workloads, WORKLOADS.map((w) => w.id));
  t.is(o.records, 2_000_000);
  t.is(o.runs, 3);
  t.is(o.keys, 10_000);
  t.deepEqual(o.shapes.map((s) => s.id), ['uniform-100']);
  t.deepEqual(o.systems, ['kafka-streams', 'ts-streams', 'java-client', 'node-client', 'embedded']);
  t.deepEqual(o.clients, ['kafkajs', 'kafkats']);
  t.true(o.write);
});

test('a selector picks every workload its id starts: W6 both windowed counts, W0 the three client runs', (t) => {
  t.deepEqual(selectWorkloads(['W5', 'W6']), ['W5', 'W6', 'W6H']);
  t.deepEqual(selectWorkloads(['w0']), ['W0', 'W0P', 'W0CP']);
  t.deepEqual(selectWorkloads(['W8', 'W1']), ['W1', 'W8'], 'in the suite\'s order');
  t.throws(() => selectWorkloads(['W9']), { message: /Unknown workload 'W9': use W0, W0P/ });
});

test('options: records with separators, the matrix, a subset of systems; unknown ones are refused naming the choices', (t) => {
  const o = parseSuiteOptions(['W7', '--records', '200_000', '--runs', '1', '--matrix', '--systems', 'kafka-streams,ts-streams', '--no-write']);
  t.deepEqual(o.workloads, ['W7']);
  t.is(o.records, 200_000);
  t.is(o.runs, 1);
  t.deepEqual(o.shapes.map((s) => s.id), ['uniform-100', 'zipf-100', 'uniform-1k', 'zipf-1k']);
  t.deepEqual(o.systems, ['kafka-streams', 'ts-streams']);
  t.false(o.write);
  t.throws(() => parseSuiteOptions(['--shapes', 'normal-100']), { message: /Unknown data shape 'normal-100'/ });
  t.throws(() => parseSuiteOptions(['--clients', 'rdkafka']), { message: /Unknown client adapter 'rdkafka': use kafkajs, kafkats/ });
  t.deepEqual(parseSuiteOptions(['--clients', 'kafkajs,kafkats']).clients, ['kafkajs', 'kafkats']);
  t.deepEqual(parseSuiteOptions([]).profile, []);
  t.deepEqual(parseSuiteOptions(['--profile', 'W2,w7']).profile, ['W2', 'W7']);
  t.deepEqual(parseSuiteOptions(['--profile', 'W0,W6']).profile, ['W6', 'W6H'], 'the raw client runs have no topology to profile');
  t.throws(() => parseSuiteOptions(['--systems', 'flink']), { message: /Unknown system 'flink'/ });
  t.throws(() => parseSuiteOptions(['--runs', '0']), { message: /--runs must be an integer >= 1/ });
  t.throws(() => parseSuiteOptions(['--fast']), { message: /Unknown option '--fast'/ });
  t.throws(() => parseSuiteOptions(['--records']), { message: /--records needs a value/ });
});

test('the stream processors run the topologies, the clients the raw runs, once per client adapter', (t) => {
  const systems = suiteSystems(['kafka-streams', 'ts-streams', 'java-client', 'node-client'], ['kafkajs']);
  t.deepEqual(systems.map((s) => s.id), ['kafka-streams', 'ts-streams/kafkajs', 'java-client', 'client/kafkajs']);
  const on = (id: string) => systems.filter((s) => runsWorkload(s, workload(id))).map((s) => s.id);
  t.deepEqual(on('W0P'), ['java-client', 'client/kafkajs']);
  t.deepEqual(on('W8'), ['kafka-streams', 'ts-streams/kafkajs']);
  t.deepEqual(suiteSystems(['ts-streams', 'node-client'], ['kafkajs', 'kafkats']).map((s) => s.id), ['ts-streams/kafkajs', 'ts-streams/kafkats', 'client/kafkajs', 'client/kafkats']);
});

test('--smoke: a tiny input, one run, both client adapters, nothing written; options beside it win', (t) => {
  const o = parseSuiteOptions(['--smoke']);
  t.true(o.smoke);
  t.deepEqual(o.workloads, WORKLOADS.map((w) => w.id));
  t.is(o.records, 2000);
  t.is(o.keys, 500);
  t.is(o.runs, 1);
  t.deepEqual(o.clients, ['kafkajs', 'kafkats']);
  t.false(o.write);
  t.false(o.latency, 'a smoke run measures no latency');
  t.false(parseSuiteOptions([]).smoke);
  const w = parseSuiteOptions(['--smoke', 'W5', '--records', '500', '--clients', 'kafkats']);
  t.deepEqual([w.workloads, w.records, w.clients], [['W5'], 500, ['kafkats']]);
});

test('the latency phase: on by default, --no-latency leaves it out, --latency-seconds sets its input\'s length', (t) => {
  const o = parseSuiteOptions([]);
  t.true(o.latency);
  t.is(o.latencySeconds, undefined);
  t.false(parseSuiteOptions(['--no-latency']).latency);
  t.is(parseSuiteOptions(['--latency-seconds', '8']).latencySeconds, 8);
  t.throws(() => parseSuiteOptions(['--latency-seconds', '0']), { message: /--latency-seconds must be an integer >= 1/ });
});

test('the embedded log runs W1, W2, W5 and W6 (the embedded default\'s workloads), once whatever the adapters', (t) => {
  const systems = suiteSystems(['ts-streams', 'embedded'], ['kafkajs', 'kafkats']);
  t.deepEqual(systems.map((s) => s.id), ['ts-streams/kafkajs', 'ts-streams/kafkats', 'ts-streams/embedded']);
  const embedded = systems.at(-1)!;
  t.deepEqual(WORKLOADS.filter((w) => runsWorkload(embedded, w)).map((w) => w.id), ['W1', 'W2', 'W5', 'W6']);
  t.deepEqual(parseSuiteOptions(['--systems', 'embedded']).systems, ['embedded']);
});

test('--exactly-once: ts-streams runs under exactly_once_v2, only with --systems ts-streams and --no-write', (t) => {
  t.false(parseSuiteOptions([]).exactlyOnce);
  t.true(parseSuiteOptions(['W2', '--systems', 'ts-streams', '--no-write', '--exactly-once']).exactlyOnce);
  t.throws(() => parseSuiteOptions(['--exactly-once', '--no-write']), { message: /--exactly-once runs ts-streams only, unrecorded/ });
  t.throws(() => parseSuiteOptions(['--exactly-once', '--systems', 'ts-streams']), { message: /--systems ts-streams --no-write/ });
});
