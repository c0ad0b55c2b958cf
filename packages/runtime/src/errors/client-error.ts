import { StreamsError } from '@ts-streams/dsl';
import type { TopicPartition } from '../io/topic-partition.ts';

/**
 * Why a call through the client seam (src/client/) failed, in the terms the runtime acts on. An adapter maps its
 * client's errors to one of these and keeps the client's own error as `cause`:
 *
 * - `unreachable`: no broker answered, a connection dropped or a request timed out (Kafka's RetriableException
 *   family: NetworkException, TimeoutException, NotLeaderOrFollower, CoordinatorNotAvailable, …). Retriable: the
 *   runtime retries with backoff up to its own deadline, then stops with one clear error.
 * - `unknown-topic`: the topic or partition does not exist (yet) on the broker (UnknownTopicOrPartition). Retriable
 *   for a short while (metadata of a topic just created propagates), then a missing topic.
 * - `rebalanced`: the member is no longer in the generation it acted for (RebalanceInProgress, IllegalGeneration,
 *   UnknownMemberId, CommitFailed): a commit of the offsets it sent did not happen. Not retriable as such: the
 *   runtime treats the partitions as lost (Kafka Streams' TaskMigratedException) and rejoins.
 * - `fenced`: a producer with the same transactional id took over (ProducerFenced, InvalidProducerEpoch): this
 *   producer's open transaction is aborted by the broker. The task moved: close it dirty.
 * - `offset-out-of-range`: a seek or a fetch position is before the log start or after the end
 *   (OffsetOutOfRange: retention or DeleteRecords removed it). A restoring store then wipes and restores from the
 *   earliest offset; `partitions` says which.
 * - `fatal`: anything else (authorization, invalid configuration, a record too large, an unsupported version): it
 *   will not succeed by trying again; the message names the cause and the fix.
 */
export type ClientErrorReason = 'unreachable' | 'unknown-topic' | 'rebalanced' | 'fenced' | 'offset-out-of-range' | 'fatal';

/** A failure of a call through the client seam; `retriable` follows from `reason` (see ClientErrorReason). */
export class ClientError extends StreamsError {
  override name = 'ClientError';
  /** The partitions the failure concerns; empty when it concerns none in particular. */
  readonly partitions: readonly TopicPartition[];

  constructor(
    message: string,
    readonly reason: ClientErrorReason,
    options: {
      /** The partitions the failure concerns, when it concerns some (offset-out-of-range always says). */
      readonly partitions?: readonly TopicPartition[];
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, { retriable: reason === 'unreachable' || reason === 'unknown-topic', cause: options.cause });
    this.partitions = options.partitions ?? [];
  }
}
