import { ClientError, type ClientErrorReason } from '../../errors/client-error.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';

// kafkajs's errors as the seam's ClientError kinds. kafkajs wraps what the broker said: retries end in
// KafkaJSNumberOfRetriesExceeded around the last error (`cause` / `originalError`), non-retriable errors in
// KafkaJSNonRetriableError, several in KafkaJSAggregateError (`errors`). The first error along that chain that carries
// a protocol `type` decides; otherwise its class name does.

/** kafkajs' protocol error types (Kafka's error names), by the kind the runtime acts on. */
const REASON_OF_TYPE: Readonly<Record<string, ClientErrorReason>> = {
  UNKNOWN_TOPIC_OR_PARTITION: 'unknown-topic',
  REBALANCE_IN_PROGRESS: 'rebalanced',
  ILLEGAL_GENERATION: 'rebalanced',
  UNKNOWN_MEMBER_ID: 'rebalanced',
  FENCED_INSTANCE_ID: 'rebalanced',
  INVALID_PRODUCER_EPOCH: 'fenced',
  PRODUCER_FENCED: 'fenced',
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'fatal',
  OFFSET_OUT_OF_RANGE: 'offset-out-of-range',
};

/** kafkajs error classes that mean no broker answered (in time). */
const UNREACHABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
  'KafkaJSGroupCoordinatorNotFound',
]);

interface KafkajsErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly type?: string;
  readonly retriable?: boolean;
  readonly topic?: string;
  readonly partition?: number;
  readonly cause?: unknown;
  readonly originalError?: unknown;
  readonly errors?: readonly unknown[];
  /** KafkaJSDeleteTopicRecordsError: an error per partition. */
  readonly partitions?: readonly { readonly error?: unknown }[];
}

/** The errors along kafkajs's wrapping chain, outermost first. */
function chain(error: unknown): KafkajsErrorShape[] {
  const found: KafkajsErrorShape[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && found.length < 20) {
    const e = pending.shift();
    if (e === null || typeof e !== 'object') continue;
    const shape = e as KafkajsErrorShape;
    found.push(shape);
    if (shape.originalError !== undefined) pending.push(shape.originalError);
    if (shape.cause !== undefined) pending.push(shape.cause);
    if (Array.isArray(shape.errors)) pending.push(...shape.errors);
    if (Array.isArray(shape.partitions)) pending.push(...shape.partitions.map((p) => p?.error));
  }
  return found;
}

/** The first Kafka error name (kafkajs's `type`, as MESSAGE_TOO_LARGE) along the error's chain, if any. */
export function errorTypeOf(error: unknown): string | undefined {
  return chain(error).find((e) => e.type !== undefined)?.type;
}

/** The reason kafkajs's error maps to, and the partition it names when it names one. */
export function reasonOf(error: unknown): { reason: ClientErrorReason; partition?: TopicPartition } {
  const errors = chain(error);
  for (const e of errors) {
    if (e.name === 'KafkaJSOffsetOutOfRange' && e.topic !== undefined && e.partition !== undefined) {
      return { reason: 'offset-out-of-range', partition: { topic: e.topic, partition: e.partition } };
    }
  }
  for (const e of errors) {
    if (e.type !== undefined && e.type in REASON_OF_TYPE) return { reason: REASON_OF_TYPE[e.type] };
  }
  for (const e of errors) {
    if (e.name === 'KafkaJSTopicMetadataNotLoaded') return { reason: 'unknown-topic' };
    if (e.name !== undefined && UNREACHABLE_NAMES.has(e.name)) return { reason: 'unreachable' };
    // A retriable broker error (NOT_LEADER_OR_FOLLOWER, COORDINATOR_NOT_AVAILABLE, LEADER_NOT_AVAILABLE, …).
    if (e.name === 'KafkaJSProtocolError' && e.retriable === true) return { reason: 'unreachable' };
  }
  return { reason: 'fatal' };
}

/**
 * `error` (kafkajs's, or ours already) as a ClientError: `what` says what was being done ("creating topics a, b"),
 * the message adds what kafkajs said at the root of its chain.
 */
export function toClientError(error: unknown, what: string): ClientError {
  if (error instanceof ClientError) return error;
  const { reason, partition } = reasonOf(error);
  const errors = chain(error);
  const root = errors[errors.length - 1];
  const said = errors.map((e) => e.message).filter((m): m is string => typeof m === 'string' && m !== '');
  const detail = [...new Set(said)].join(': ') || String(root ?? error);
  return new ClientError(`${what} failed (${reason}): ${detail}`, reason, {
    cause: error,
    ...(partition === undefined ? {} : { partitions: [partition] }),
  });
}
