// Runs a command (the test runner) with a Kafka broker: KAFKA_BROKERS, when set, is used as is; otherwise a broker
// started with `npm run kafka -- start` that is up is used (and left running); otherwise one is started for the
// command and stopped after it, whatever its exit status, which this exits with. The broker's start overlaps the
// `--meanwhile` command (e.g. the dependency checks), which needs no broker.
//   node --import tsx scripts/kafka/with-broker.ts [--meanwhile '<shell command>'] <command> [args…]
// When no broker can be had, the command still runs, without KAFKA_BROKERS: the tests that need Kafka then fail
// (CI) or skip with the reason, and the others run.
import { spawn, type ChildProcess } from 'node:child_process';
import { isBrokerProcess, readBrokerState } from './broker-state.ts';
import { brokerAnswers } from './broker-readiness.ts';
import { SetupError } from './setup-error.ts';
import { seconds, startBroker, type StartedBroker } from './start-broker.ts';
import { stopBroker } from './stop-broker.ts';

const log = (message: string) => console.error(message);

async function main(args: string[]): Promise<number> {
  let meanwhile: string | undefined;
  if (args[0] === '--meanwhile') {
    meanwhile = args[1];
    args = args.slice(2);
  }
  const [command, ...commandArgs] = args;
  if (!command || meanwhile === '') {
    throw new SetupError("usage: with-broker.ts [--meanwhile '<shell command>'] <command> [args…]");
  }

  // The commands get the terminal's signals themselves (same process group): this one notes the signal, passes it
  // on (a SIGTERM may be sent to this process alone), lets them end, and stops the broker before exiting.
  let signalled: NodeJS.Signals | undefined;
  let child: ChildProcess | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    signalled = signal;
    child?.kill(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const signalCode = () => 128 + (signalled === 'SIGINT' ? 2 : 15);

  const env = { ...process.env };
  let started: StartedBroker | undefined;
  let meanwhileCode = 0;
  if (env.KAFKA_BROKERS) {
    log(`kafka: the tests use KAFKA_BROKERS=${env.KAFKA_BROKERS}`);
    if (meanwhile) meanwhileCode = await exitCode((child = spawn(meanwhile, { stdio: 'inherit', env, shell: true })));
  } else {
    const meanwhileRun = meanwhile ? (child = spawn(meanwhile, { stdio: 'inherit', env, shell: true })) : undefined;
    const [broker, code] = await Promise.all([brokerForTests(), meanwhileRun ? exitCode(meanwhileRun) : 0]);
    meanwhileCode = code;
    started = broker.started;
    if (broker.bootstrap) env.KAFKA_BROKERS = broker.bootstrap;
  }
  if (meanwhileCode !== 0 || signalled) {
    if (started) await stopQuietly(started);
    return signalled ? signalCode() : meanwhileCode;
  }

  const code = await exitCode((child = spawn(command, commandArgs, { stdio: 'inherit', env })));
  if (started) await stopQuietly(started);
  return signalled ? signalCode() : code;
}

interface TestBroker {
  bootstrap?: string;
  /** A broker started for the tests, to stop after them. */
  started?: StartedBroker;
}

async function brokerForTests(): Promise<TestBroker> {
  const running = readBrokerState('default');
  if (running && isBrokerProcess(running) && (await brokerAnswers(running.port))) {
    log(`kafka: the tests use the broker started with 'npm run kafka -- start' on ${running.bootstrap}`);
    return { bootstrap: running.bootstrap };
  }
  try {
    const started = await startBroker({ name: `test-${process.pid}`, log });
    log(`kafka: Apache Kafka ${started.kafkaVersion} on ${started.bootstrap} for the tests (up in ${seconds(started.startMs)})`);
    return { bootstrap: started.bootstrap, started };
  } catch (error) {
    const message = error instanceof SetupError ? error.message : String((error as Error).stack ?? error);
    log(`${message}\nkafka: running the tests without a broker: those that need Kafka fail in CI, skip elsewhere`);
    return {};
  }
}

async function stopQuietly(broker: StartedBroker): Promise<void> {
  try {
    await stopBroker(broker);
  } catch (error) {
    log(`kafka: could not stop the tests' broker (pid ${broker.pid}): ${(error as Error).message}`);
  }
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.on('error', (error) => {
      log(`kafka: could not run '${child.spawnfile}': ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof SetupError ? error.message : error);
    process.exit(1);
  },
);
