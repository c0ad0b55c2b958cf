import { AssignmentProtocolError } from '../errors/assignment-protocol-error.ts';
import { MalformedProtocolBytes, ProtocolReader } from './protocol-reader.ts';
import { ProtocolWriter } from './protocol-writer.ts';
import { LATEST_PROTOCOL_VERSION, SUBSCRIPTION_MAGIC, readHeader, writeHeader, type ProtocolHeader } from './protocol-version.ts';
import type { TaskId } from './task-id.ts';

/** A task whose state a member has on disk, and how far its checkpoint reaches. */
export interface TaskOffsetSum {
  readonly task: TaskId;
  /**
   * The sum of the checkpointed offsets of the task's changelog partitions (Kafka Streams' task offset sum).
   * For one task every member sums the same partitions, so the higher sum has less to restore; the end offsets
   * (and so the lag) need not be known to compare members.
   */
  readonly offsetSum: number;
}

/**
 * What a member tells the group leader when it joins (the userData of its subscription; Kafka Streams'
 * SubscriptionInfo): who it is and which tasks it can take over cheaply.
 */
export interface SubscriptionInfo extends ProtocolHeader {
  /** Stable across restarts of the same instance (kept in its state directory; Kafka's ProcessId). */
  readonly processId: string;
  /** `host:port` where the instance answers interactive queries (Kafka's application.server); '' if none. */
  readonly userEndpoint: string;
  /** The active tasks the member ran until this rebalance (eager: the ones it just revoked). */
  readonly ownedTasks: readonly TaskId[];
  /** Tasks, other than the owned ones, whose state the member has on disk with a valid checkpoint. */
  readonly taskOffsetSums: readonly TaskOffsetSum[];
}

/** Writes a subscription in its version (the latest by default). */
export function encodeSubscriptionInfo(info: Omit<SubscriptionInfo, 'version' | 'latestSupportedVersion'> & Partial<ProtocolHeader>): Buffer {
  const w = new ProtocolWriter();
  writeHeader(w, SUBSCRIPTION_MAGIC, { version: info.version ?? LATEST_PROTOCOL_VERSION, latestSupportedVersion: info.latestSupportedVersion ?? LATEST_PROTOCOL_VERSION });
  w.string(info.processId).string(info.userEndpoint).tasks(info.ownedTasks);
  w.int32(info.taskOffsetSums.length);
  for (const { task, offsetSum } of info.taskOffsetSums) {
    if (!Number.isSafeInteger(offsetSum) || offsetSum < 0) throw new RangeError(`The offset sum of task ${task} must be a non-negative safe integer; got ${offsetSum}.`);
    w.task(task).int64(offsetSum);
  }
  return w.toBuffer();
}

/** Reads a subscription; bytes that are not one (or of a version this ts-streams cannot read) are an AssignmentProtocolError. */
export function decodeSubscriptionInfo(bytes: Buffer): SubscriptionInfo {
  const r = new ProtocolReader(bytes);
  try {
    const header = readHeader(r, SUBSCRIPTION_MAGIC, 'subscription');
    if (header.version > LATEST_PROTOCOL_VERSION) {
      throw new AssignmentProtocolError(
        `A group member subscribed with ts-streams rebalance protocol version ${header.version}; this instance reads up to ${LATEST_PROTOCOL_VERSION}. ` +
          'Upgrade every instance of the application to the same ts-streams version (or let the leader answer in the common version).',
        'subscription',
      );
    }
    const processId = r.string('the process id');
    if (processId === '') r.fail('the process id is empty', 2);
    const userEndpoint = r.string('the user endpoint');
    const ownedTasks = r.tasks('the owned tasks');
    const n = r.count('the task offset sums', 16);
    const taskOffsetSums: TaskOffsetSum[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const task = r.task('a task offset sum');
      const offsetSum = r.int64(`the offset sum of task ${task}`);
      if (offsetSum < 0) r.fail(`the offset sum of task ${task} is negative (${offsetSum})`, 8);
      if (seen.has(task.toString())) r.fail(`task ${task} has two offset sums`, 16);
      seen.add(task.toString());
      taskOffsetSums.push({ task, offsetSum });
    }
    r.end();
    return { ...header, processId, userEndpoint, ownedTasks, taskOffsetSums };
  } catch (e) {
    if (e instanceof MalformedProtocolBytes) {
      throw new AssignmentProtocolError(
        `A group member's subscription userData (${bytes.length} bytes) is not a ts-streams subscription: ${e.message}. ` +
          'Every member of the consumer group (the applicationId) must be a ts-streams instance; a Java Kafka Streams or other client cannot share it.',
        'subscription',
      );
    }
    throw e;
  }
}
