import { StreamsError } from '@ts-streams/dsl';

/**
 * The test driver stopped a record going round a cycle of topics (a topic the topology writes and reads back)
 * more often than its maxFeedbackRounds. Not retriable: the topology, or its input, keeps records in the cycle.
 */
export class FeedbackLoopError extends StreamsError {
  override name = 'FeedbackLoopError';
  constructor(
    message: string,
    /** The topic the record was about to be written back to. */
    readonly topic: string,
    /** The topics of the cycle, starting and ending with `topic`. */
    readonly cycle: readonly string[],
    /** The rounds allowed (the driver's maxFeedbackRounds). */
    readonly rounds: number,
  ) {
    super(message, { retriable: false });
  }
}
