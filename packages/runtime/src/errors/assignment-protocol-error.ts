import { StreamsError } from '@ts-streams/dsl';

/**
 * Bytes in a group member's subscription or assignment userData that are not ts-streams' rebalance protocol
 * (another client in the consumer group, a corrupted or truncated message, or a version this one cannot read).
 * Not retriable: the same bytes never decode.
 */
export class AssignmentProtocolError extends StreamsError {
  override name = 'AssignmentProtocolError';
  constructor(
    message: string,
    /** Which message failed to decode. */
    readonly protocolMessage: 'subscription' | 'assignment',
  ) {
    super(message, { retriable: false });
  }
}
