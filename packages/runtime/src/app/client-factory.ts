import type { KafkaClient } from '../client/kafka-client.ts';
import { KafkajsClient } from '../client/kafkajs/kafkajs-client.ts';
import { KafkatsClient } from '../client/kafkats/kafkats-client.ts';
import type { ResolvedStreamsConfig } from './streams-config.ts';

/** The client adapter `config.client` names, made from the config's connection settings. */
export function createClient(config: ResolvedStreamsConfig): KafkaClient {
  switch (config.client) {
    case 'kafkajs':
      // Each role's connect() keeps trying to reach a broker for defaultApiTimeoutMs (then one 'unreachable' error).
      return new KafkajsClient({ bootstrapServers: config.bootstrapServers, clientId: config.clientId, connectTimeoutMs: config.defaultApiTimeoutMs });
    case 'kafkats':
      return new KafkatsClient({ bootstrapServers: config.bootstrapServers, clientId: config.clientId, connectTimeoutMs: config.defaultApiTimeoutMs });
  }
}
