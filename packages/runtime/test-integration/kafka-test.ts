// `kafkaTest(title, (t, broker) => …)`: an ava test that needs a real Kafka broker, the one KAFKA_BROKERS names
// (`npm test` starts one and sets it). Without a broker that answers, the test FAILS in CI (CI set), saying how to
// start one: a suite that silently skips its Kafka tests would pass without testing anything. Elsewhere it is
// skipped with the same message, so that `npx ava` on a machine without Java still runs everything else.
//
// Every Kafka test runs against each client adapter of the runtime (issue 17): KAFKA_TEST_CLIENT names the one under
// test — 'kafkajs' (the default) or 'kafkats' — and `npm test` runs the Kafka tests a second time with 'kafkats'.
// A test hands `broker.client` to KafkaStreams' config and gets the adapter's seam client from `broker.seamClient`;
// the fixtures around the application (producing input, reading output, checking offsets) stay on plain kafkajs,
// the same for both passes. In the 'kafkats' pass the titles start with '[kafkats]'.
import test, { type ExecutionContext } from 'ava';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaClient } from '../src/client/kafka-client.ts';
import { KafkajsClient } from '../src/client/kafkajs/kafkajs-client.ts';
import { KafkatsClient } from '../src/client/kafkats/kafkats-client.ts';
import { KAFKA_CLIENTS, type KafkaClientName } from '../src/app/streams-config.ts';

export interface TestBroker {
  /** The bootstrap addresses (KAFKA_BROKERS, comma-separated). */
  brokers: string[];
  /** A kafkajs client for the broker; quiet unless KAFKAJS_LOG_LEVEL is error, warn, info or debug. */
  kafka(clientId: string): Kafka;
  /** The client adapter under test (KAFKA_TEST_CLIENT): give it to KafkaStreams as `client`. */
  client: KafkaClientName;
  /** A client of the adapter under test (the runtime's client seam), connecting within 10 s; the caller closes it. */
  seamClient(clientId: string): KafkaClient;
}

/** The client adapter the Kafka tests of this run use (KAFKA_TEST_CLIENT, default 'kafkajs'). */
export const clientUnderTest: KafkaClientName = clientFromEnv();

function clientFromEnv(): KafkaClientName {
  const named = process.env.KAFKA_TEST_CLIENT ?? 'kafkajs';
  if (!(KAFKA_CLIENTS as readonly string[]).includes(named)) {
    throw new Error(`KAFKA_TEST_CLIENT must be one of ${KAFKA_CLIENTS.join(', ')} (the client adapter the Kafka tests run against), got '${named}'`);
  }
  return named as KafkaClientName;
}

/** A seam client of the named adapter. */
export function seamClient(client: KafkaClientName, brokers: readonly string[], clientId: string): KafkaClient {
  const options = { bootstrapServers: brokers, clientId, connectTimeoutMs: 10_000 };
  return client === 'kafkats' ? new KafkatsClient(options) : new KafkajsClient(options);
}

type Implementation = (t: ExecutionContext, broker: TestBroker) => Promise<void> | void;

const HOW_TO_START =
  "'npm test' starts a broker for the tests; to run tests alone, start one with 'npm run kafka -- start' " +
  "and set KAFKA_BROKERS to the address it prints (KAFKA_BROKERS=127.0.0.1:PORT npx ava <file>); " +
  "stop it with 'npm run kafka -- stop'";

const inCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

const broker: TestBroker | { missing: string } = await findBroker();
let skipNoticeShown = false;

export function kafkaTest(title: string, implementation: Implementation): void {
  register(test, title, implementation);
}

/** As kafkaTest, run serially with the file's other serial tests. */
kafkaTest.serial = (title: string, implementation: Implementation): void => {
  register(test.serial, title, implementation);
};

function register(runner: typeof test | typeof test.serial, title: string, implementation: Implementation): void {
  if (clientUnderTest !== 'kafkajs') title = `[${clientUnderTest}] ${title}`;
  if (!('missing' in broker)) {
    runner(title, (t) => implementation(t, broker));
  } else if (inCI) {
    runner(title, (t) => {
      t.fail(`this test needs a Kafka broker and none is up: ${broker.missing}. ${HOW_TO_START}`);
    });
  } else {
    if (!skipNoticeShown) {
      console.log(`Skipping the tests that need a Kafka broker: ${broker.missing}. ${HOW_TO_START}`);
      skipNoticeShown = true;
    }
    runner.skip(title, () => {});
  }
}

async function findBroker(): Promise<TestBroker | { missing: string }> {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
  if (brokers.length === 0) return { missing: 'KAFKA_BROKERS is not set' };
  const found: TestBroker = {
    brokers,
    kafka: (clientId) => client(brokers, clientId),
    client: clientUnderTest,
    seamClient: (clientId) => seamClient(clientUnderTest, brokers, clientId),
  };
  const admin = found.kafka('ts-streams-broker-check').admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return found;
  } catch (error) {
    return { missing: `no broker answers at KAFKA_BROKERS=${brokers.join(',')} (${(error as Error).message})` };
  } finally {
    await admin.disconnect();
  }
}

function client(brokers: string[], clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 3_000,
    retry: { retries: 3, initialRetryTime: 100 },
    logLevel: clientLogLevel(),
  });
}

function clientLogLevel(): logLevel {
  switch ((process.env.KAFKAJS_LOG_LEVEL ?? '').toLowerCase()) {
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'error':
      return logLevel.ERROR;
    default:
      return logLevel.NOTHING;
  }
}
