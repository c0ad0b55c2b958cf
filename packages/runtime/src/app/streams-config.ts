import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors/config-error.ts';
import { APPLICATION_EMIT_INTERVALS, type EmitIntervals } from '../compile/emit-intervals.ts';

/**
 * What `new KafkaStreams(topology, config)` takes: Kafka Streams' configs under the camelCase of their names
 * (`commit.interval.ms` → `commitIntervalMs`), with Kafka Streams 4.4's defaults. Only what the runtime acts on is
 * accepted; anything else is refused by name (see resolveConfig), so a typo never silently falls back to a default.
 */
export interface StreamsConfig {
  /** application.id: the consumer group, the prefix of internal topics, the state directory's name. Required. */
  readonly applicationId: string;
  /**
   * bootstrap.servers: 'host:port', or several (an array or a comma-separated string). Required, except with a
   * clientFactory that needs no broker (the embedded log).
   */
  readonly bootstrapServers?: string | readonly string[];
  /** commit.interval.ms (default 30000 under at-least-once, as Kafka Streams; 100 under exactly_once_v2 and on the embedded log, exactly-once, as Kafka Streams under exactly_once_v2). */
  readonly commitIntervalMs?: number;
  /** state.dir (default `<tmpdir>/kafka-streams`, as Kafka Streams' `${java.io.tmpdir}/kafka-streams`). */
  readonly stateDir?: string;
  /** statestore.cache.max.bytes, shared by the tasks' caching stores (default 10 MiB). 0 = no caching. */
  readonly cacheMaxBytes?: number;
  /**
   * processing.guarantee: 'at_least_once' (default) or 'exactly_once_v2' (Kafka Streams' exactly-once: one
   * transactional producer per process; each commit writes the outputs, changelog records and input offsets in one
   * transaction; consumers and restoration read_committed), on either client. The embedded log is exactly-once
   * whatever this says.
   */
  readonly processingGuarantee?: 'at_least_once' | 'exactly_once_v2';
  /**
   * The transactional producer's transaction.timeout.ms under exactly_once_v2 (default 10000, as Kafka Streams sets
   * it): a transaction open longer — a process stopped or stalled — is aborted by the coordinator, which fences the
   * producer. Must exceed commitIntervalMs.
   */
  readonly transactionTimeoutMs?: number;
  /** max.task.idle.ms (default 0: wait for a fetch of every partition of a task before processing; -1: never wait). */
  readonly maxTaskIdleMs?: number;
  /** buffered.records.per.partition: a partition whose queue holds more is paused (default 1000). */
  readonly bufferedRecordsPerPartition?: number;
  /**
   * deserialization.exception.handler: 'fail' (default: stop, naming topic, partition, offset and serde) or
   * 'log-and-continue' (skip the record, count it, log it).
   */
  readonly deserializationExceptionHandler?: 'fail' | 'log-and-continue';
  /** Kafka Streams' internal emit intervals (1000 ms each): see EmitIntervals. */
  readonly emitIntervalMs?: Partial<EmitIntervals>;
  /**
   * The client library behind the client seam: 'kafkajs' (default) or 'kafkats' (@kafkats/client: faster produce and
   * consume, same behaviour; src/client/kafkats/).
   */
  readonly client?: KafkaClientName;
  /** client.id (default `<applicationId>-<process id>`): prefixes the clients' ids in the broker's logs. */
  readonly clientId?: string;
  /** replication.factor of internal topics (default -1: the broker's default.replication.factor). */
  readonly replicationFactor?: number;
  /** auto.offset.reset of input partitions with no committed offset (Kafka Streams' default 'earliest'). */
  readonly autoOffsetReset?: 'earliest' | 'latest';
  /** max.poll.records: the most records one poll returns (default 1000, as Kafka Streams). */
  readonly maxPollRecords?: number;
  /** poll.ms: how long a poll waits for records when none are buffered (default 100). */
  readonly pollMs?: number;
  /** num.standby.replicas: only 0 for now (standby tasks are not implemented). */
  readonly numStandbyReplicas?: number;
  /**
   * session.timeout.ms of the group membership (default 45000, the consumer's): how long the group waits for an
   * instance that stopped heartbeating (killed, or its machine gone) before its tasks move to the others. The broker
   * accepts it between its group.min.session.timeout.ms and group.max.session.timeout.ms (6 s and 30 min by default).
   */
  readonly sessionTimeoutMs?: number;
  /**
   * default.api.timeout.ms (default 60000): how long start() keeps trying, with backoff, to reach a broker and to
   * check and create the topics before it fails with one error naming the addresses tried.
   */
  readonly defaultApiTimeoutMs?: number;
  /**
   * task.timeout.ms (default 300000, as Kafka Streams): how long a running application keeps retrying, in place, a
   * send or a commit that fails because no broker answers (a broker restarting, a leader moving) before it stops
   * with an error. Nothing is committed meanwhile; processing waits.
   */
  readonly taskTimeoutMs?: number;
  /**
   * repartition.purge.interval.ms (default 30000): at most this often, after a commit, the records of repartition
   * topics below the committed offsets are deleted (they are read once; Kafka Streams purges them the same way).
   */
  readonly repartitionPurgeIntervalMs?: number;
}

/** The Kafka client adapters KafkaStreams can run on (StreamsConfig#client). */
export const KAFKA_CLIENTS = ['kafkajs', 'kafkats'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** The config with every default filled in and every value checked. */
export interface ResolvedStreamsConfig {
  readonly applicationId: string;
  readonly bootstrapServers: readonly string[];
  readonly commitIntervalMs: number;
  readonly stateDir: string;
  readonly cacheMaxBytes: number;
  readonly processingGuarantee: 'at_least_once' | 'exactly_once_v2';
  readonly transactionTimeoutMs: number;
  readonly maxTaskIdleMs: number;
  readonly bufferedRecordsPerPartition: number;
  readonly deserializationExceptionHandler: 'fail' | 'log-and-continue';
  readonly emitIntervalMs: EmitIntervals;
  readonly client: KafkaClientName;
  readonly clientId: string;
  readonly replicationFactor: number;
  readonly autoOffsetReset: 'earliest' | 'latest';
  readonly maxPollRecords: number;
  readonly pollMs: number;
  readonly numStandbyReplicas: 0;
  readonly sessionTimeoutMs: number;
  readonly defaultApiTimeoutMs: number;
  readonly taskTimeoutMs: number;
  readonly repartitionPurgeIntervalMs: number;
}

const OPTIONS: readonly (keyof StreamsConfig)[] = [
  'applicationId', 'bootstrapServers', 'commitIntervalMs', 'stateDir', 'cacheMaxBytes', 'processingGuarantee',
  'maxTaskIdleMs', 'bufferedRecordsPerPartition', 'deserializationExceptionHandler', 'emitIntervalMs', 'client',
  'clientId', 'replicationFactor', 'autoOffsetReset', 'maxPollRecords', 'pollMs', 'numStandbyReplicas',
  'sessionTimeoutMs',
  'defaultApiTimeoutMs', 'taskTimeoutMs', 'repartitionPurgeIntervalMs', 'transactionTimeoutMs',
];

/** Kafka names whose camelCase is not ours (renamed or deprecated in Kafka), so that the hint still finds them. */
const KAFKA_ALIASES: Readonly<Record<string, keyof StreamsConfig>> = {
  'statestore.cache.max.bytes': 'cacheMaxBytes',
  'cache.max.bytes.buffering': 'cacheMaxBytes',
  'default.deserialization.exception.handler': 'deserializationExceptionHandler',
};

/** Kafka Streams' default state.dir: `${java.io.tmpdir}/kafka-streams`. */
export const DEFAULT_STATE_DIR = join(tmpdir(), 'kafka-streams');

/** Kafka Streams' application.id: what a topic name may contain, as it prefixes internal topics. */
const LEGAL_ID = /^[a-zA-Z0-9._-]+$/;

/**
 * Checks a config and fills in the defaults. The first problem found is a ConfigError naming the option and the
 * fix: an unknown option (with the known one it most likely means: a case slip, Kafka's dotted name, a typo), a
 * missing required one, a value of the wrong type or out of range, or a setting not supported yet.
 */
export function resolveConfig(
  config: StreamsConfig,
  options: {
    /** False when the client needs no broker (the embedded log): bootstrapServers may then be absent (resolved to []). */
    readonly bootstrapServersRequired?: boolean;
  } = {},
): ResolvedStreamsConfig {
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError('config', `KafkaStreams needs a config object ({ applicationId, bootstrapServers, ... }), got ${describe(config)}.`);
  }
  for (const name of Object.keys(config)) {
    if ((OPTIONS as readonly string[]).includes(name)) continue;
    const guess = suggest(name);
    throw new ConfigError(name, `unknown option '${name}'${guess ? ` — did you mean ${guess}?` : ''} (the options: ${OPTIONS.join(', ')}).`);
  }
  const c = config as unknown as Record<string, unknown>;

  const applicationId = c.applicationId;
  if (applicationId === undefined) throw new ConfigError('applicationId', `applicationId is required: it names the consumer group, the internal topics and the state directory (e.g. applicationId: 'page-views').`);
  if (typeof applicationId !== 'string' || !LEGAL_ID.test(applicationId)) {
    throw new ConfigError('applicationId', `applicationId must be a non-empty string of letters, digits, '.', '_' and '-' (it prefixes topic names), got ${describe(applicationId)}.`);
  }

  const bootstrapServers = c.bootstrapServers === undefined && options.bootstrapServersRequired === false ? [] : servers(c.bootstrapServers);

  const processingGuarantee = c.processingGuarantee ?? 'at_least_once';
  if (processingGuarantee === 'exactly_once' || processingGuarantee === 'exactly_once_beta') {
    throw new ConfigError(
      'processingGuarantee',
      `processingGuarantee '${String(processingGuarantee)}' is not supported: Kafka Streams 4 removed 'exactly_once' and 'exactly_once_beta'; their successor is 'exactly_once_v2'. Set processingGuarantee: 'exactly_once_v2' (or 'at_least_once').`,
    );
  }
  if (processingGuarantee !== 'at_least_once' && processingGuarantee !== 'exactly_once_v2') {
    throw new ConfigError('processingGuarantee', `processingGuarantee must be 'at_least_once' or 'exactly_once_v2', got ${describe(processingGuarantee)}.`);
  }

  const handler = c.deserializationExceptionHandler ?? 'fail';
  if (handler !== 'fail' && handler !== 'log-and-continue') {
    throw new ConfigError('deserializationExceptionHandler', `deserializationExceptionHandler must be 'fail' (stop at a record the serdes cannot read) or 'log-and-continue' (skip it, count it, log it), got ${describe(handler)}.`);
  }
  const client = (c.client ?? 'kafkajs') as KafkaClientName;
  if (!(KAFKA_CLIENTS as readonly unknown[]).includes(client)) {
    throw new ConfigError('client', `client must be one of ${KAFKA_CLIENTS.map((c) => `'${c}'`).join(', ')} (the Kafka client adapters), got ${describe(client)}.`);
  }
  const autoOffsetReset = c.autoOffsetReset ?? 'earliest';
  if (autoOffsetReset !== 'earliest' && autoOffsetReset !== 'latest') {
    throw new ConfigError('autoOffsetReset', `autoOffsetReset must be 'earliest' or 'latest', got ${describe(autoOffsetReset)}.`);
  }
  const numStandbyReplicas = integer(c, 'numStandbyReplicas', 0, 0, 'replicas');
  if (numStandbyReplicas !== 0) {
    throw new ConfigError('numStandbyReplicas', `numStandbyReplicas ${numStandbyReplicas} is not supported yet (standby tasks are not implemented): remove the option or set it to 0.`);
  }

  const stateDir = c.stateDir ?? DEFAULT_STATE_DIR;
  if (typeof stateDir !== 'string' || stateDir === '') throw new ConfigError('stateDir', `stateDir must be a directory path, got ${describe(stateDir)}.`);
  const clientId = c.clientId ?? `${applicationId}-${process.pid}`;
  if (typeof clientId !== 'string' || clientId === '') throw new ConfigError('clientId', `clientId must be a non-empty string, got ${describe(clientId)}.`);

  const emitIntervalMs = emitIntervals(c.emitIntervalMs);
  // Kafka Streams' commit.interval.ms default is 100 ms under exactly_once_v2 (records written through a repartition
  // topic reach the downstream task only once committed), 30 s otherwise.
  const commitIntervalMs = integer(c, 'commitIntervalMs', processingGuarantee === 'exactly_once_v2' ? 100 : 30_000, 0, 'milliseconds');
  const transactionTimeoutMs = integer(c, 'transactionTimeoutMs', 10_000, 1, 'milliseconds');
  if (processingGuarantee === 'exactly_once_v2' && transactionTimeoutMs <= commitIntervalMs) {
    throw new ConfigError(
      'transactionTimeoutMs',
      `transactionTimeoutMs (${transactionTimeoutMs} ms) must exceed commitIntervalMs (${commitIntervalMs} ms) under exactly_once_v2: a transaction stays open from one commit to the next, and the coordinator aborts one open longer than its timeout (fencing the producer). Raise transactionTimeoutMs or lower commitIntervalMs.`,
    );
  }

  return {
    applicationId,
    bootstrapServers,
    commitIntervalMs,
    transactionTimeoutMs,
    stateDir,
    cacheMaxBytes: integer(c, 'cacheMaxBytes', 10 * 1024 * 1024, 0, 'bytes'),
    processingGuarantee,
    maxTaskIdleMs: integer(c, 'maxTaskIdleMs', 0, -1, 'milliseconds (-1: never wait for an empty partition)'),
    bufferedRecordsPerPartition: integer(c, 'bufferedRecordsPerPartition', 1000, 1, 'records'),
    deserializationExceptionHandler: handler,
    emitIntervalMs,
    client,
    clientId,
    replicationFactor: replicationFactor(c.replicationFactor),
    autoOffsetReset,
    maxPollRecords: integer(c, 'maxPollRecords', 1000, 1, 'records'),
    pollMs: integer(c, 'pollMs', 100, 1, 'milliseconds'),
    numStandbyReplicas: 0,
    sessionTimeoutMs: integer(c, 'sessionTimeoutMs', 45_000, 1, 'milliseconds'),
    defaultApiTimeoutMs: integer(c, 'defaultApiTimeoutMs', 60_000, 1, 'milliseconds'),
    taskTimeoutMs: integer(c, 'taskTimeoutMs', 300_000, 0, 'milliseconds (0: fail at the first failure)'),
    repartitionPurgeIntervalMs: integer(c, 'repartitionPurgeIntervalMs', 30_000, 0, 'milliseconds (0: after every commit)'),
  };
}

function servers(value: unknown): string[] {
  const fix = `bootstrapServers is 'host:port' or a list of them, e.g. '127.0.0.1:9092' or ['broker1:9092', 'broker2:9092']`;
  if (value === undefined) throw new ConfigError('bootstrapServers', `bootstrapServers is required: ${fix}.`);
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  if (list === undefined || list.length === 0) throw new ConfigError('bootstrapServers', `${fix}; got ${describe(value)}.`);
  return list.map((s: unknown) => {
    const address = typeof s === 'string' ? s.trim() : s;
    if (typeof address !== 'string' || !/^[^\s:]+:\d{1,5}$/.test(address)) {
      throw new ConfigError('bootstrapServers', `bootstrapServers has ${describe(s)}, which is not 'host:port': ${fix}.`);
    }
    return address;
  });
}

function replicationFactor(value: unknown): number {
  if (value === undefined) return -1;
  if (typeof value === 'number' && Number.isInteger(value) && (value === -1 || value >= 1) && value <= 32767) return value;
  throw new ConfigError('replicationFactor', `replicationFactor must be -1 (the broker's default.replication.factor) or an integer >= 1, got ${describe(value)}.`);
}

function emitIntervals(value: unknown): EmitIntervals {
  if (value === undefined) return APPLICATION_EMIT_INTERVALS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('emitIntervalMs', `emitIntervalMs must be an object like { outerJoinNonMatches: 1000, onWindowClose: 1000 }, got ${describe(value)}.`);
  }
  const known = Object.keys(APPLICATION_EMIT_INTERVALS);
  const out: Record<string, number> = { ...APPLICATION_EMIT_INTERVALS };
  for (const [name, ms] of Object.entries(value)) {
    if (!known.includes(name)) {
      const guess = closest(name, known);
      throw new ConfigError(`emitIntervalMs.${name}`, `unknown option 'emitIntervalMs.${name}'${guess ? ` — did you mean emitIntervalMs.${guess}?` : ''} (the intervals: ${known.join(', ')}).`);
    }
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new ConfigError(`emitIntervalMs.${name}`, `emitIntervalMs.${name} must be a number of milliseconds >= 0 (0: on every record), got ${describe(ms)}.`);
    }
    out[name] = ms;
  }
  return out as unknown as EmitIntervals;
}

/** An integer option at least `min`, or its default when absent. */
function integer(c: Record<string, unknown>, name: keyof StreamsConfig, defaultValue: number, min: number, unit: string): number {
  const value = c[name];
  if (value === undefined) return defaultValue;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return value;
  const hint = typeof value === 'string' && /^\d+$/.test(value) ? ` (a number, not a string: ${name}: ${value})` : '';
  throw new ConfigError(name, `${name} must be an integer >= ${min}, in ${unit}; got ${describe(value)}${hint}.`);
}

/** The known option an unknown name most likely means: same letters in another case, Kafka's dotted name, or a near typo. */
function suggest(name: string): string | undefined {
  const alias = KAFKA_ALIASES[name];
  if (alias !== undefined) return alias;
  return closest(name, OPTIONS);
}

function closest(name: string, candidates: readonly string[]): string | undefined {
  const normal = (s: string) => s.toLowerCase().replace(/[._\-\s]/g, '');
  const n = normal(name);
  const same = candidates.find((o) => normal(o) === n);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const o of candidates) {
    const d = distance(n, normal(o));
    if (d < bestDistance) {
      best = o;
      bestDistance = d;
    }
  }
  // A third of the name may differ: closer than that is a typo, further a different word.
  return bestDistance <= Math.max(2, Math.floor(n.length / 3)) ? best : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}' (a string)`;
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array (${JSON.stringify(value)})`;
  return `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`;
}
