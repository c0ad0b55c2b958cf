import { StreamsError } from '@ts-streams/dsl';

/**
 * Topics the topology reads do not exist on the broker (Kafka Streams' MissingSourceTopicException). The runtime
 * creates only its internal topics, never an input: creating one with a guessed partition count would break
 * co-partitioning. Not retriable: create the topics, then start again.
 */
export class MissingSourceTopicError extends StreamsError {
  override name = 'MissingSourceTopicError';

  constructor(readonly topics: readonly string[]) {
    super(
      `The topology reads ${topics.length === 1 ? 'topic' : 'topics'} ${topics.map((t) => `'${t}'`).join(', ')}, ` +
        `which the broker does not have. Create ${topics.length === 1 ? 'it' : 'them'} (with the partition count the ` +
        `input needs: kafka-topics --create), then start the application again; it creates only its internal topics.`,
      { retriable: false },
    );
  }
}
