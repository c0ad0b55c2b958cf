import { ErrorCode, getErrorName, isRetriableError } from '@kafkats/client';
import { ClientError, type ClientErrorReason } from '../../errors/client-error.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';

// @kafkats/client's errors as the seam's ClientError kinds. Broker answers come as KafkaError (KafkaProtocolError and
// its named subclasses) carrying the protocol `errorCode`; the network layer's errors (NetworkError and its
// ConnectionError, ConnectionTimeoutError, ConnectionClosedError, RequestTimeoutError) carry none; a few failures are
// plain Errors ("No brokers available", "Failed to connect to any bootstrap broker", with the network error as cause).

/** Protocol errors by the kind the runtime acts on; other retriable codes are 'unreachable', the rest 'fatal'. */
const REASON_OF_CODE: ReadonlyMap<number, ClientErrorReason> = new Map([
  [ErrorCode.UnknownTopicOrPartition, 'unknown-topic'],
  [ErrorCode.RebalanceInProgress, 'rebalanced'],
  [ErrorCode.IllegalGeneration, 'rebalanced'],
  [ErrorCode.UnknownMemberId, 'rebalanced'],
  [ErrorCode.FencedInstanceId, 'rebalanced'],
  [ErrorCode.InvalidProducerEpoch, 'fenced'],
  [ErrorCode.ProducerFenced, 'fenced'],
  [ErrorCode.OffsetOutOfRange, 'offset-out-of-range'],
  [ErrorCode.CorruptMessage, 'fatal'],
]);

/** Names of the network layer's errors (no broker answered, or not in time). */
const NETWORK_ERRORS = new Set(['NetworkError', 'ConnectionError', 'ConnectionTimeoutError', 'ConnectionClosedError', 'RequestTimeoutError', 'TimeoutError', 'SendTimeoutError', 'BrokerNotAvailableError']);

/** Plain Errors @kafkats/client throws when it reaches no broker. */
const UNREACHABLE_MESSAGES = [/max retries exceeded/, /^No brokers available/, /^Failed to connect to any bootstrap broker/, /not connected/i, /Cannot send on disconnected connection/];

interface KafkatsErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly errorCode?: number;
  readonly cause?: unknown;
}

function chain(error: unknown): KafkatsErrorShape[] {
  const found: KafkatsErrorShape[] = [];
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 10; depth++) {
    found.push(e as KafkatsErrorShape);
    e = (e as KafkatsErrorShape).cause;
  }
  return found;
}

/**
 * The producer rejects a batch the broker refused with a plain Error naming the code: "Produce failed for t-0:
 * MessageTooLarge" (and "…: max retries exceeded" once its retries of a retriable failure ran out).
 */
const PRODUCE_FAILED = /^Produce failed for .+: ([A-Za-z]+)$/;

/** The Kafka protocol error code along the error's chain, if any (ErrorCode.None is no code). */
export function errorCodeOf(error: unknown): number | undefined {
  for (const e of chain(error)) {
    if (typeof e.errorCode === 'number' && e.errorCode !== ErrorCode.None) return e.errorCode;
    const named = typeof e.message === 'string' ? PRODUCE_FAILED.exec(e.message)?.[1] : undefined;
    const code = named === undefined ? undefined : (ErrorCode as unknown as Record<string, number | undefined>)[named];
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** The kind of failure a Kafka error code is. */
export function reasonOfCode(code: number): ClientErrorReason {
  return REASON_OF_CODE.get(code) ?? (isRetriableError(code) ? 'unreachable' : 'fatal');
}

/** The reason @kafkats/client's error maps to. */
export function reasonOf(error: unknown): ClientErrorReason {
  if (error instanceof ClientError) return error.reason;
  const errors = chain(error);
  for (const e of errors) {
    if (e.name !== undefined && NETWORK_ERRORS.has(e.name)) return 'unreachable';
    // A Broker @kafkats/client handed out while it was still connecting (its connections up, its API versions not
    // negotiated yet: a race of two requests to a broker it connects to) has no versions at all: try again.
    if (e.name === 'UnsupportedVersionError' && (e as { supportedRange?: unknown }).supportedRange === undefined) return 'unreachable';
  }
  const code = errorCodeOf(error);
  if (code !== undefined) return reasonOfCode(code);
  for (const e of errors) {
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGES.some((m) => m.test(e.message!))) return 'unreachable';
    // Node's socket errors (ECONNREFUSED, ECONNRESET, …) under a cause.
    if (typeof (e as { code?: unknown }).code === 'string' && /^E[A-Z]+$/.test((e as { code: string }).code)) return 'unreachable';
  }
  return 'fatal';
}

/**
 * `error` (@kafkats/client's, or ours already) as a ClientError: `what` says what was being done, the message adds
 * what the client said along the chain.
 */
export function toClientError(error: unknown, what: string, partitions?: readonly TopicPartition[]): ClientError {
  if (error instanceof ClientError) return error;
  const reason = reasonOf(error);
  const said = chain(error)
    .map((e) => e.message)
    .filter((m): m is string => typeof m === 'string' && m !== '');
  const detail = [...new Set(said)].join(': ') || String(error);
  return new ClientError(`${what} failed (${reason}): ${detail}`, reason, { cause: error, ...(partitions === undefined ? {} : { partitions }) });
}

/** A ClientError for a protocol error code a response carried (not thrown by the client). */
export function codeError(code: number, what: string, partitions?: readonly TopicPartition[]): ClientError {
  const reason = reasonOfCode(code);
  return new ClientError(`${what} failed (${reason}): the broker answered ${getErrorName(code as ErrorCode)}`, reason, partitions === undefined ? {} : { partitions });
}
