import { AssignmentProtocolError } from '../errors/assignment-protocol-error.ts';
import { MalformedProtocolBytes, ProtocolReader } from './protocol-reader.ts';
import { ProtocolWriter } from './protocol-writer.ts';
import { ASSIGNMENT_MAGIC, LATEST_PROTOCOL_VERSION, readHeader, writeHeader, type ProtocolHeader } from './protocol-version.ts';
import { AssignorError, isAssignorErrorCode, type AssignorErrorCode } from './assignor-error.ts';
import type { TaskId } from './task-id.ts';

/** The active tasks of one instance of the application, and where it answers queries. */
export interface TaskHost {
  readonly processId: string;
  /** `host:port` (Kafka's application.server), '' if the instance has none. */
  readonly userEndpoint: string;
  readonly tasks: readonly TaskId[];
}

/**
 * What the group leader tells a member besides its partitions (the userData of its assignment; Kafka Streams'
 * AssignmentInfo): its tasks, or the error that stops the application, and which instance runs every task.
 */
export interface AssignmentInfo extends ProtocolHeader {
  /** AssignorError.NONE, or why there are no tasks (every member stops). */
  readonly errorCode: AssignorErrorCode;
  /** The leader's explanation of the error ('' for NONE), so every member can say what went wrong. */
  readonly errorMessage: string;
  /** The member's active tasks, in TaskId order. */
  readonly activeTasks: readonly TaskId[];
  /**
   * Every instance's active tasks (the full task → instance map): for routing queries to the instance that
   * holds a key (Kafka's partitionsByHost). Empty when the leader sent none.
   */
  readonly hosts: readonly TaskHost[];
}

/** Writes an assignment in its version (the latest by default). */
export function encodeAssignmentInfo(info: Omit<AssignmentInfo, 'version' | 'latestSupportedVersion'> & Partial<ProtocolHeader>): Buffer {
  const w = new ProtocolWriter();
  writeHeader(w, ASSIGNMENT_MAGIC, { version: info.version ?? LATEST_PROTOCOL_VERSION, latestSupportedVersion: info.latestSupportedVersion ?? LATEST_PROTOCOL_VERSION });
  w.int32(info.errorCode).string(info.errorMessage).tasks(info.activeTasks);
  w.int32(info.hosts.length);
  for (const h of info.hosts) w.string(h.processId).string(h.userEndpoint).tasks(h.tasks);
  return w.toBuffer();
}

/** Reads an assignment; bytes that are not one (or of a version this ts-streams cannot read) are an AssignmentProtocolError. */
export function decodeAssignmentInfo(bytes: Buffer): AssignmentInfo {
  const r = new ProtocolReader(bytes);
  try {
    const header = readHeader(r, ASSIGNMENT_MAGIC, 'assignment');
    if (header.version > LATEST_PROTOCOL_VERSION) {
      throw new AssignmentProtocolError(
        `The group leader sent an assignment in ts-streams rebalance protocol version ${header.version}; this instance reads up to ${LATEST_PROTOCOL_VERSION}. ` +
          'Upgrade every instance of the application to the same ts-streams version.',
        'assignment',
      );
    }
    const errorCode = r.int32('the error code');
    if (!isAssignorErrorCode(errorCode)) return r.fail(`error code ${errorCode} is unknown`, 4);
    const errorMessage = r.string('the error message');
    const activeTasks = r.tasks('the active tasks');
    // A host is at least two empty strings and an empty task list.
    const n = r.count('the hosts', 8);
    const hosts: TaskHost[] = [];
    const ownerOf = new Map<string, string>();
    for (let i = 0; i < n; i++) {
      const processId = r.string('a host process id');
      const userEndpoint = r.string('a host endpoint');
      const tasks = r.tasks(`the tasks of process ${processId}`);
      for (const t of tasks) {
        const other = ownerOf.get(t.toString());
        if (other !== undefined) r.fail(`task ${t} is given to both process ${other} and process ${processId}`);
        ownerOf.set(t.toString(), processId);
      }
      hosts.push({ processId, userEndpoint, tasks });
    }
    r.end();
    if (errorCode !== AssignorError.NONE && activeTasks.length > 0) r.fail(`error code ${errorCode} comes with ${activeTasks.length} tasks`);
    return { ...header, errorCode, errorMessage, activeTasks, hosts };
  } catch (e) {
    if (e instanceof MalformedProtocolBytes) {
      throw new AssignmentProtocolError(
        `The group leader's assignment userData (${bytes.length} bytes) is not a ts-streams assignment: ${e.message}. ` +
          'Every member of the consumer group (the applicationId) must be a ts-streams instance; a Java Kafka Streams or other client cannot share it.',
        'assignment',
      );
    }
    throw e;
  }
}
