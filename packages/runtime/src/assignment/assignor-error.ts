/**
 * The error a group leader sends every member in its assignment instead of tasks (Kafka Streams' AssignorError,
 * same codes). A member stops on any code but NONE: an unknown code too, so a newer leader's error is never
 * mistaken for an assignment.
 */
export const AssignorError = {
  NONE: 0,
  /** A source topic is missing (or its metadata is): the leader's message names it. */
  INCOMPLETE_SOURCE_TOPIC_METADATA: 1,
  /** A member subscribed in a protocol version the leader cannot read. */
  VERSION_PROBING: 2,
  /** The leader could not compute an assignment (co-partitioned topics with different counts, ...). */
  ASSIGNMENT_ERROR: 3,
  /** An instance asked the whole application to shut down. */
  SHUTDOWN_REQUESTED: 4,
} as const;

export type AssignorErrorCode = (typeof AssignorError)[keyof typeof AssignorError];

const codes = new Set<number>(Object.values(AssignorError));

export function isAssignorErrorCode(n: number): n is AssignorErrorCode {
  return codes.has(n);
}

/** The code's name, for messages. */
export function assignorErrorName(code: AssignorErrorCode): string {
  return Object.entries(AssignorError).find(([, c]) => c === code)![0];
}
