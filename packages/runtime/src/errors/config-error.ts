import { StreamsError } from '@ts-streams/dsl';

/**
 * An option of `new KafkaStreams(topology, config)` is unknown, missing or has a value it cannot take (Kafka's
 * ConfigException). The message names the option and the fix; `option` is its name as given. Not retriable.
 */
export class ConfigError extends StreamsError {
  override name = 'ConfigError';

  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message, { retriable: false });
  }
}
