import test from 'ava';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type StreamsConfig } from '../src/app/streams-config.ts';
import { ConfigError } from '../src/errors/config-error.ts';
import { StreamsError } from '../src/errors/streams-error.ts';

const base = { applicationId: 'page-views', bootstrapServers: '127.0.0.1:9092' } as const;

/** The ConfigError a config raises (as an untyped object: tests pass what the types would refuse). */
function refused(t: import('ava').ExecutionContext, config: unknown): ConfigError {
  const e = t.throws(() => resolveConfig(config as StreamsConfig), { instanceOf: ConfigError })!;
  t.true(e instanceof StreamsError);
  t.false(e.retriable);
  return e;
}

test("Kafka Streams 4.4's defaults fill what is not given", (t) => {
  const c = resolveConfig(base);
  t.deepEqual(
    { ...c, clientId: undefined },
    {
      applicationId: 'page-views',
      bootstrapServers: ['127.0.0.1:9092'],
      commitIntervalMs: 30_000,
      stateDir: join(tmpdir(), 'kafka-streams'),
      cacheMaxBytes: 10 * 1024 * 1024,
      processingGuarantee: 'at_least_once',
      maxTaskIdleMs: 0,
      bufferedRecordsPerPartition: 1000,
      deserializationExceptionHandler: 'fail',
      emitIntervalMs: { outerJoinNonMatches: 1000, onWindowClose: 1000 },
      client: 'kafkajs',
      clientId: undefined,
      replicationFactor: -1,
      autoOffsetReset: 'earliest',
      maxPollRecords: 1000,
      pollMs: 100,
      numStandbyReplicas: 0,
      sessionTimeoutMs: 45_000,
      defaultApiTimeoutMs: 60_000,
      taskTimeoutMs: 300_000,
      repartitionPurgeIntervalMs: 30_000,
      transactionTimeoutMs: 10_000,
    },
  );
  t.is(c.clientId, `page-views-${process.pid}`);
});

test('given values are kept; servers may be a list or comma-separated', (t) => {
  const c = resolveConfig({
    ...base,
    bootstrapServers: ' a:1, b:2 ',
    commitIntervalMs: 100,
    stateDir: '/var/lib/streams',
    cacheMaxBytes: 0,
    maxTaskIdleMs: -1,
    bufferedRecordsPerPartition: 5,
    deserializationExceptionHandler: 'log-and-continue',
    emitIntervalMs: { onWindowClose: 0 },
    clientId: 'pv',
    replicationFactor: 3,
    autoOffsetReset: 'latest',
    sessionTimeoutMs: 6_000,
  });
  t.deepEqual(c.bootstrapServers, ['a:1', 'b:2']);
  t.is(c.commitIntervalMs, 100);
  t.is(c.stateDir, '/var/lib/streams');
  t.is(c.cacheMaxBytes, 0);
  t.is(c.maxTaskIdleMs, -1);
  t.is(c.bufferedRecordsPerPartition, 5);
  t.is(c.deserializationExceptionHandler, 'log-and-continue');
  t.deepEqual(c.emitIntervalMs, { outerJoinNonMatches: 1000, onWindowClose: 0 });
  t.is(c.clientId, 'pv');
  t.is(c.replicationFactor, 3);
  t.is(c.autoOffsetReset, 'latest');
  t.is(c.sessionTimeoutMs, 6_000);
  t.deepEqual(resolveConfig({ ...base, bootstrapServers: ['x:9092', 'y:9093'] }).bootstrapServers, ['x:9092', 'y:9093']);
});

test('an unknown option is refused by name, with the option it most likely means', (t) => {
  const cases: [string, string][] = [
    ['commitIntervalMS', "unknown option 'commitIntervalMS' — did you mean commitIntervalMs?"],
    ['commit.interval.ms', "unknown option 'commit.interval.ms' — did you mean commitIntervalMs?"],
    ['application.id', "unknown option 'application.id' — did you mean applicationId?"],
    ['statestore.cache.max.bytes', "unknown option 'statestore.cache.max.bytes' — did you mean cacheMaxBytes?"],
    ['cache.max.bytes.buffering', "unknown option 'cache.max.bytes.buffering' — did you mean cacheMaxBytes?"],
    ['bootstrapServer', "unknown option 'bootstrapServer' — did you mean bootstrapServers?"],
    ['maxTaskIdelMs', "unknown option 'maxTaskIdelMs' — did you mean maxTaskIdleMs?"],
  ];
  for (const [name, start] of cases) {
    const e = refused(t, { ...base, [name]: 1 });
    t.is(e.option, name);
    t.true(e.message.startsWith(start), e.message);
  }
  const e = refused(t, { ...base, compression: 'gzip' });
  t.is(e.message.split(' (')[0], "unknown option 'compression'", 'no guess when nothing is near');
  t.regex(e.message, /the options: applicationId, bootstrapServers, commitIntervalMs/);
  const nested = refused(t, { ...base, emitIntervalMs: { onWindowClosed: 5 } });
  t.is(nested.option, 'emitIntervalMs.onWindowClosed');
  t.regex(nested.message, /did you mean emitIntervalMs\.onWindowClose\?/);
});

test('required options: applicationId and bootstrapServers, each checked', (t) => {
  t.regex(refused(t, { bootstrapServers: 'a:1' }).message, /^applicationId is required/);
  t.regex(refused(t, { applicationId: 'x' }).message, /^bootstrapServers is required/);
  const badId = refused(t, { ...base, applicationId: 'page views' });
  t.is(badId.option, 'applicationId');
  t.regex(badId.message, /letters, digits, '\.', '_' and '-'.*got 'page views'/);
  t.is(refused(t, { ...base, applicationId: '' }).option, 'applicationId');
  const badServer = refused(t, { ...base, bootstrapServers: 'localhost' });
  t.is(badServer.option, 'bootstrapServers');
  t.regex(badServer.message, /'localhost' \(a string\), which is not 'host:port'/);
  t.is(refused(t, { ...base, bootstrapServers: [] }).option, 'bootstrapServers');
  t.is(refused(t, { ...base, bootstrapServers: 9092 }).option, 'bootstrapServers');
  t.regex(refused(t, null).message, /needs a config object/);
});

test('a value of the wrong type or out of range names the option, what it takes and what it got', (t) => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ commitIntervalMs: '30000' }, 'commitIntervalMs', /integer >= 0, in milliseconds; got '30000' \(a string\) \(a number, not a string: commitIntervalMs: 30000\)/],
    [{ commitIntervalMs: -1 }, 'commitIntervalMs', /integer >= 0.*got -1/],
    [{ commitIntervalMs: 1.5 }, 'commitIntervalMs', /got 1\.5/],
    [{ cacheMaxBytes: Number.NaN }, 'cacheMaxBytes', /in bytes; got NaN/],
    [{ maxTaskIdleMs: -2 }, 'maxTaskIdleMs', /integer >= -1/],
    [{ bufferedRecordsPerPartition: 0 }, 'bufferedRecordsPerPartition', /integer >= 1, in records/],
    [{ maxPollRecords: 0 }, 'maxPollRecords', /integer >= 1/],
    [{ pollMs: 0 }, 'pollMs', /integer >= 1/],
    [{ sessionTimeoutMs: 0 }, 'sessionTimeoutMs', /integer >= 1, in milliseconds/],
    [{ deserializationExceptionHandler: 'log' }, 'deserializationExceptionHandler', /'fail'.*'log-and-continue'.*got 'log'/],
    [{ client: 'rdkafka' }, 'client', /'kafkajs'.*got 'rdkafka'/],
    [{ autoOffsetReset: 'none' }, 'autoOffsetReset', /'earliest' or 'latest', got 'none'/],
    [{ replicationFactor: 0 }, 'replicationFactor', /-1 .*or an integer >= 1, got 0/],
    [{ stateDir: 7 }, 'stateDir', /directory path, got 7/],
    [{ clientId: '' }, 'clientId', /non-empty string/],
    [{ emitIntervalMs: 5 }, 'emitIntervalMs', /must be an object/],
    [{ emitIntervalMs: { onWindowClose: -1 } }, 'emitIntervalMs.onWindowClose', />= 0.*got -1/],
    [{ processingGuarantee: 'at-least-once' }, 'processingGuarantee', /must be 'at_least_once' or 'exactly_once_v2'.*got 'at-least-once'/],
  ];
  for (const [given, option, message] of cases) {
    const e = refused(t, { ...base, ...given });
    t.is(e.option, option, JSON.stringify(given));
    t.regex(e.message, message);
  }
});

test('exactly_once_v2: commits every 100 ms by default and a 10 s transaction timeout, as Kafka Streams; on either client; the timeout must exceed the commit interval', (t) => {
  const eos = resolveConfig({ ...base, processingGuarantee: 'exactly_once_v2' });
  t.is(eos.processingGuarantee, 'exactly_once_v2');
  t.is(eos.commitIntervalMs, 100);
  t.is(eos.transactionTimeoutMs, 10_000);
  t.is(resolveConfig({ ...base, processingGuarantee: 'exactly_once_v2', commitIntervalMs: 2_000 }).commitIntervalMs, 2_000);
  t.is(resolveConfig(base).commitIntervalMs, 30_000);
  const kafkats = resolveConfig({ ...base, processingGuarantee: 'exactly_once_v2', client: 'kafkats' });
  t.is(kafkats.processingGuarantee, 'exactly_once_v2');
  t.is(kafkats.client, 'kafkats');
  const timeout = refused(t, { ...base, processingGuarantee: 'exactly_once_v2', commitIntervalMs: 10_000 });
  t.is(timeout.option, 'transactionTimeoutMs');
  t.regex(timeout.message, /transactionTimeoutMs \(10000 ms\) must exceed commitIntervalMs \(10000 ms\).*Raise transactionTimeoutMs or lower commitIntervalMs/);
  t.is(resolveConfig({ ...base, processingGuarantee: 'exactly_once_v2', commitIntervalMs: 10_000, transactionTimeoutMs: 20_000 }).transactionTimeoutMs, 20_000);
  // At-least-once does not look at it.
  t.is(resolveConfig({ ...base, commitIntervalMs: 60_000 }).transactionTimeoutMs, 10_000);
});

test('what is not supported yet is refused, saying so and how to run without it', (t) => {
  t.regex(refused(t, { ...base, processingGuarantee: 'exactly_once' }).message, /Kafka Streams 4 removed 'exactly_once'.*Set processingGuarantee: 'exactly_once_v2'/);
  const standby = refused(t, { ...base, numStandbyReplicas: 1 });
  t.is(standby.option, 'numStandbyReplicas');
  t.regex(standby.message, /not supported yet.*set it to 0/);
  t.is(resolveConfig({ ...base, numStandbyReplicas: 0, processingGuarantee: 'at_least_once' }).numStandbyReplicas, 0);
});

test('repartitionPurgeIntervalMs: the Kafka name hints at it, a given value is kept, the range is checked', (t) => {
  t.is(resolveConfig({ ...base, repartitionPurgeIntervalMs: 0 }).repartitionPurgeIntervalMs, 0);
  t.regex(refused(t, { ...base, 'repartition.purge.interval.ms': 1 }).message, /did you mean repartitionPurgeIntervalMs\?/);
  t.regex(refused(t, { ...base, repartitionPurgeIntervalMs: 1.5 }).message, /repartitionPurgeIntervalMs must be an integer >= 0/);
});

test('defaultApiTimeoutMs: the Kafka name hints at it, a given value is kept, the range is checked', (t) => {
  t.is(resolveConfig({ ...base, defaultApiTimeoutMs: 1_500 }).defaultApiTimeoutMs, 1_500);
  t.regex(refused(t, { ...base, 'default.api.timeout.ms': 1 }).message, /did you mean defaultApiTimeoutMs\?/);
  t.regex(refused(t, { ...base, defaultApiTimeoutMs: 0 }).message, /defaultApiTimeoutMs must be an integer >= 1/);
});

test('taskTimeoutMs: the Kafka name hints at it, a given value is kept, the range is checked', (t) => {
  t.is(resolveConfig({ ...base, taskTimeoutMs: 0 }).taskTimeoutMs, 0);
  t.regex(refused(t, { ...base, 'task.timeout.ms': 1 }).message, /did you mean taskTimeoutMs\?/);
  t.regex(refused(t, { ...base, taskTimeoutMs: -1 }).message, /taskTimeoutMs must be an integer >= 0/);
});

test("client: 'kafkajs' by default, 'kafkats' taken, anything else refused naming both", (t) => {
  t.is(resolveConfig(base).client, 'kafkajs');
  t.is(resolveConfig({ ...base, client: 'kafkats' }).client, 'kafkats');
  const e = refused(t, { ...base, client: 'kafka-ts' });
  t.is(e.option, 'client');
  t.regex(e.message, /client must be one of 'kafkajs', 'kafkats' \(the Kafka client adapters\), got 'kafka-ts'/);
});
