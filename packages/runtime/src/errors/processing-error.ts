import { StreamsError } from '@ts-streams/dsl';

/** The input record being processed when a step failed. */
export interface FailedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * A step failed: a user function (mapper, aggregator, processor, punctuator) threw, or a serde or store used by
 * the step did (the original error is the cause). Not retriable: the same record meets the same code again.
 */
export class ProcessingError extends StreamsError {
  override name = 'ProcessingError';
  /** The input record being processed; all undefined when a punctuator failed. */
  readonly topic: string | undefined;
  readonly partition: number | undefined;
  readonly offset: number | undefined;
  /** The task whose step threw (`<subtopology>_<partition>`, Kafka's StreamsException#taskId), when one did. */
  readonly taskId: string | undefined;

  constructor(
    message: string,
    /** The step (processor node name) that threw. */
    readonly step: string,
    options: { cause?: unknown; record?: FailedRecord | undefined; taskId?: string } = {},
  ) {
    super(message, { cause: options.cause, retriable: false });
    this.taskId = options.taskId;
    this.topic = options.record?.topic;
    this.partition = options.record?.partition;
    this.offset = options.record?.offset;
  }
}
