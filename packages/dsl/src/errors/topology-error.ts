/**
 * A topology that cannot run as written. Thrown by DSL calls with bad arguments and by build().
 * The message names the step (processor name) and says how to fix it.
 */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
  readonly step: string | undefined;
  constructor(message: string, options: { step?: string; cause?: unknown } = {}) {
    super(options.step ? `${message} [step ${options.step}]` : message, { cause: options.cause });
    this.step = options.step;
  }
}
