// `npm run kafka -- <fetch|start|stop|status>`: a local Apache Kafka broker for the tests and benchmarks.
//   fetch   download the broker's jars from Maven Central into .kafka/ (once; `start` does it when needed)
//   start   start a single-node broker on 127.0.0.1 (a free port, or --port N), detached; prints its bootstrap
//           address, 127.0.0.1:PORT, as the last line of stdout (progress goes to stderr)
//   stop    stop it (by the PID in .kafka/brokers/default.json) and remove its data
//   status  list the brokers started from this repository and whether they answer
import { isBrokerProcess, listBrokerStates, readBrokerState } from './broker-state.ts';
import { ensureKafkaJars } from './kafka-jars.ts';
import { brokerAnswers } from './broker-readiness.ts';
import { KAFKA_VERSION } from './paths.ts';
import { SetupError } from './setup-error.ts';
import { seconds, startBroker } from './start-broker.ts';
import { stopBroker } from './stop-broker.ts';

const NAME = 'default';
const USAGE = 'usage: npm run kafka -- <fetch|start [--port N]|stop|status>';

const log = (message: string) => console.error(message);

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'fetch':
      return fetch();
    case 'start':
      return start(parsePort(rest));
    case 'stop':
      return stop();
    case 'status':
      return status();
    default:
      throw new SetupError(command ? `kafka: unknown command '${command}'\n${USAGE}` : USAGE);
  }
}

async function fetch(): Promise<number> {
  const started = Date.now();
  const jars = await ensureKafkaJars();
  log(
    jars.fetched
      ? `kafka: fetched Apache Kafka ${KAFKA_VERSION} (${jars.count} jars) into ${jars.dir} in ${seconds(Date.now() - started)}`
      : `kafka: Apache Kafka ${KAFKA_VERSION}'s jars are in ${jars.dir} (${jars.count} jars)`,
  );
  return 0;
}

async function start(port: number | undefined): Promise<number> {
  const running = readBrokerState(NAME);
  if (running) {
    if (isBrokerProcess(running) && (await brokerAnswers(running.port))) {
      if (port !== undefined && port !== running.port) {
        throw new SetupError(
          `kafka: a broker is already running on ${running.bootstrap} (pid ${running.pid}); ` +
            `stop it first ('npm run kafka -- stop') to start one on port ${port}`,
        );
      }
      log(`kafka: already running (pid ${running.pid}); stop it with 'npm run kafka -- stop'`);
      console.log(running.bootstrap);
      return 0;
    }
    // Left behind by a broker that died or a machine that restarted: clean up and start afresh.
    await stopBroker(running);
  }
  const broker = await startBroker({ name: NAME, port, log });
  log(
    `kafka: Apache Kafka ${broker.kafkaVersion} up in ${seconds(broker.startMs)} (pid ${broker.pid}, ` +
      `log ${broker.dir}/broker.log); stop it with 'npm run kafka -- stop'`,
  );
  console.log(broker.bootstrap);
  return 0;
}

async function stop(): Promise<number> {
  const state = readBrokerState(NAME);
  if (!state) {
    log('kafka: no broker running (none started with `npm run kafka -- start`)');
    return 0;
  }
  const result = await stopBroker(state);
  if (!result.wasRunning) log(`kafka: the broker (pid ${state.pid}) was not running; removed its files`);
  else {
    const how = result.killed ? 'killed (it did not stop on SIGTERM)' : 'stopped';
    log(`kafka: ${how} the broker on ${state.bootstrap} (pid ${state.pid}) in ${seconds(result.stopMs)}`);
  }
  return 0;
}

async function status(): Promise<number> {
  const states = listBrokerStates();
  if (states.length === 0) log('kafka: no broker running');
  for (const state of states) {
    const alive = isBrokerProcess(state);
    const what = !alive
      ? `not running (pid ${state.pid} is gone; 'npm run kafka -- stop' cleans up)`
      : (await brokerAnswers(state.port))
        ? `up since ${state.startedAt} (pid ${state.pid}, log ${state.dir}/broker.log)`
        : `pid ${state.pid} is running but does not answer`;
    console.log(`${state.name}: ${state.bootstrap} Apache Kafka ${state.kafkaVersion}: ${what}`);
    if (!alive && state.name !== NAME) {
      // The files of a test run's broker that died with its run: nothing else would remove them.
      await stopBroker(state);
    }
  }
  // Informational: 0 either way ('start' is the idempotent way for a script to get a broker).
  return 0;
}

function parsePort(args: string[]): number | undefined {
  if (args.length === 0) return undefined;
  const port = args[0] === '--port' ? Number(args[1]) : NaN;
  if (args.length !== 2 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SetupError(`kafka: 'start' takes only --port N (1 to 65535), got '${args.join(' ')}'\n${USAGE}`);
  }
  return port;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof SetupError ? error.message : error);
    process.exit(1);
  },
);
