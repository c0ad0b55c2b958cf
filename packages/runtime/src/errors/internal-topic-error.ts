import { StreamsError } from '@ts-streams/dsl';

/** An internal topic that exists with another partition count than the topology needs. */
export interface PartitionMismatch {
  readonly topic: string;
  readonly expected: number;
  readonly actual: number;
}

/**
 * Internal topics exist with partition counts the topology does not match (InternalTopicManager's "Existing internal
 * topic … has invalid partitions"): the input topics changed, or the topology did. Using them would put a key's
 * state in a partition no task reads. Not retriable: the topics must go (with the state they hold).
 */
export class InternalTopicError extends StreamsError {
  override name = 'InternalTopicError';

  constructor(readonly mismatches: readonly PartitionMismatch[]) {
    super(
      `${mismatches.map((m) => `Internal topic '${m.topic}' has ${m.actual} partitions, but the topology needs ${m.expected}.`).join(' ')} ` +
        `Delete ${mismatches.length === 1 ? 'it' : 'them'} (kafka-topics --delete --topic …) or reset the application ` +
        `(\`streams reset\`, Kafka's kafka-streams-application-reset); the application then creates ${mismatches.length === 1 ? 'it' : 'them'} ` +
        `again and rebuilds its state from the input.`,
      { retriable: false },
    );
  }
}
