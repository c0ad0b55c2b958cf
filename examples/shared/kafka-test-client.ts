// The client adapter the examples' Kafka tests run KafkaStreams on, as the runtime's Kafka tests
// (packages/runtime/test-integration/kafka-test.ts): KAFKA_TEST_CLIENT, 'kafkajs' by default; `npm test` runs the
// Kafka tests a second time with 'kafkats'. In that pass the tests' titles start with '[kafkats]'.
import type { StreamsConfig } from '@ts-streams/runtime';

export type TestClient = NonNullable<StreamsConfig['client']>;

const CLIENTS: readonly TestClient[] = ['kafkajs', 'kafkats'];

export const testClient: TestClient = (() => {
  const named = process.env.KAFKA_TEST_CLIENT ?? 'kafkajs';
  if (!(CLIENTS as readonly string[]).includes(named)) {
    throw new Error(`KAFKA_TEST_CLIENT must be one of ${CLIENTS.join(', ')} (the client adapter the Kafka tests run against), got '${named}'`);
  }
  return named as TestClient;
})();

/** A Kafka test's title in this pass: '[kafkats] title' in the kafkats pass. */
export function clientTitle(title: string): string {
  return testClient === 'kafkajs' ? title : `[${testClient}] ${title}`;
}
