// `npm run bench -- <suite> [options]`: driver | state [--no-bindings] | kafka [--records N --runs N --only W0,W5
// --profile W5 --verbose --no-write] | produce [--records N --runs N --value-bytes N --no-write] | kafka-streams
// [W5 W6 …] [options: suite-options.ts] | windows [W4 W6H W8] [--records N] (the window-store workloads on the
// TopologyTestDriver, RocksDB stores, no Kafka: window-bench.ts) | all (driver and state; --no-bindings skips the ~8 min binding comparison).
// Prints markdown tables; see benchmarks/RESULTS.md. kafka, produce and kafka-streams run against KAFKA_BROKERS, else
// under scripts/kafka/with-broker.ts (the broker of `npm run kafka -- start` if one is up, else one started and stopped).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const suite = process.argv[2] ?? 'all';
const known = ['driver', 'state', 'kafka', 'produce', 'kafka-streams', 'windows', 'all'];
if (!known.includes(suite)) {
  console.error(`Unknown benchmark suite '${suite}'. Use one of: ${known.join(', ')} (e.g. npm run bench -- driver).`);
  process.exit(2);
}
const kafkaOptions = suite === 'kafka' ? await kafkaBenchOptions() : undefined;
const produceOptions = suite === 'produce' ? await produceBenchOptions() : undefined;
const suiteOptions = suite === 'kafka-streams' ? await kafkaStreamsSuiteOptions() : undefined;
if (suiteOptions?.report !== undefined) {
  // Regenerates RESULTS.md's section and the chart from a results file: no broker, no runs.
  const { readResults, writeReport } = await import('./kafka-streams-bench.ts');
  writeReport(readResults(suiteOptions.report));
  process.exit(0);
}
if ((suite === 'kafka' || suite === 'produce' || suite === 'kafka-streams') && !process.env['KAFKA_BROKERS']) {
  // The terminal's signals reach the child too (same process group); with-broker stops its broker, then exits.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  const withBroker = fileURLToPath(new URL('../../scripts/kafka/with-broker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', withBroker, process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
  await new Promise(() => undefined); // this process only waits for the child
}
console.log(`# ts-streams benchmarks — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
if (suite === 'windows') {
  await (await import('./window-bench.ts')).run(process.argv.slice(3));
  process.exit(0);
}
if (suite === 'driver' || suite === 'all') {
  const { run, toMarkdown } = await import('./driver-bench.ts');
  console.log('## Driver (issue 2)\n');
  console.log(toMarkdown(await run()));
  console.log();
}
if (kafkaOptions !== undefined) {
  const { run } = await import('./kafka-bench.ts');
  console.log('## Kafka runtime (issue 15)\n');
  await run(kafkaOptions);
}
if (produceOptions !== undefined) {
  const { run } = await import('./produce-bench.ts');
  console.log('## Produce path (issue 17)\n');
  await run(produceOptions);
}
if (suiteOptions !== undefined) {
  const { run } = await import('./kafka-streams-bench.ts');
  console.log('## ts-streams beside Kafka Streams (issue 17)\n');
  const results = await run(suiteOptions, process.env['KAFKA_BROKERS']!.split(',').map((b) => b.trim()).filter((b) => b !== ''));
  if (results.failures.length > 0 && suiteOptions.smoke) process.exitCode = 1;
}
if (suite === 'state' || suite === 'all') {
  const { toMarkdown } = await import('./driver-bench.ts');
  const state = await import('./state-bench.ts');
  console.log('## Driver on RocksDB stores (issue 3)\n');
  console.log(toMarkdown(await state.run()));
  console.log();
  if (!process.argv.includes('--no-bindings')) {
    const mod = await import('./rocksdb-bindings.ts');
    console.log('## RocksDB bindings (issue 3)\n');
    console.log(mod.markdownTable(await mod.run()));
  }
}

async function kafkaBenchOptions() {
  const { parseOptions } = await import('./kafka-bench.ts');
  try {
    return parseOptions(process.argv.slice(3));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}

async function produceBenchOptions() {
  const { parseOptions } = await import('./produce-bench.ts');
  try {
    return parseOptions(process.argv.slice(3));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}

async function kafkaStreamsSuiteOptions() {
  const { parseSuiteOptions } = await import('./suite-options.ts');
  try {
    return parseSuiteOptions(process.argv.slice(3));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}
