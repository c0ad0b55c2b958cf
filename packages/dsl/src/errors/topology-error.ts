import { StreamsError } from './streams-error.ts';

/**
 * A topology that cannot run as written. Thrown by DSL calls with bad arguments and by build().
 * The message names the step (processor name) and says how to fix it. Never retriable: the code must change.
 */
export class TopologyError extends StreamsError {
  override name = 'TopologyError';
  /** The step (processor or store name) at fault, when there is one. */
  readonly step: string | undefined;

  constructor(message: string, options: { step?: string | undefined; cause?: unknown } = {}) {
    super(options.step ? `${message} [step ${options.step}]` : message, { cause: options.cause, retriable: false });
    this.step = options.step;
  }
}
