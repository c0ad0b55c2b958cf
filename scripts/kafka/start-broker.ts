// Starts a single-node Apache Kafka broker (KRaft, broker and controller in one JVM) on 127.0.0.1, detached: it
// outlives the command that started it, which records its PID and address in a state file and returns once the
// broker is ready for tests (broker-readiness.ts: it lists itself, and its group coordinator is loaded).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { brokerJvmOptions, log4j2Properties, serverProperties, toolJvmOptions } from './broker-config.ts';
import { isBrokerProcess, removeBrokerState, writeBrokerState, type BrokerState } from './broker-state.ts';
import { ensurePortFree, freePort, portTaken } from './free-port.ts';
import { ensureKafkaJars, kafkaJarsDir } from './kafka-jars.ts';
import { groupCoordinatorReady, probeBrokers } from './broker-readiness.ts';
import { KAFKA_VERSION } from './paths.ts';
import { lastLines, runTool } from './run-tool.ts';
import { SetupError } from './setup-error.ts';
import { javaCommand, missingTool, requireTools } from './tools.ts';

const NODE_ID = 1;
/** A port chosen free can be taken by another process before the broker binds it: choose again this many times. */
const BIND_ATTEMPTS = 3;

export interface StartOptions {
  /** The state file's name: `default` for `npm run kafka -- start`. */
  name: string;
  /** A fixed port; without it the system chooses a free one. */
  port?: number;
  /** How long the broker may take to answer (default 90 s: a loaded 2-core machine can be slow). */
  timeoutMs?: number;
  /** Progress messages (the address itself is the caller's to print). */
  log: (message: string) => void;
}

export interface StartedBroker extends BrokerState {
  /** Milliseconds from the command to a broker answering, the jars' download excluded. */
  startMs: number;
}

export async function startBroker(options: StartOptions): Promise<StartedBroker> {
  requireTools(false);
  if (!existsSync(kafkaJarsDir())) {
    options.log(`kafka: downloading Apache Kafka ${KAFKA_VERSION}'s jars from Maven Central (once; ~45 MB)…`);
  }
  const fetchStart = Date.now();
  const jars = await ensureKafkaJars();
  if (jars.fetched) options.log(`kafka: ${jars.count} jars in ${jars.dir} (${seconds(Date.now() - fetchStart)})`);
  const start = Date.now();
  // A Ctrl-C (or a SIGTERM) while starting stops what was started and removes its files, instead of leaving a
  // broker nobody knows of: the broker has a process group of its own and would not receive it.
  const signals = new InterruptWatch();
  try {
    for (let attempt = 1; ; attempt++) {
      const dir = mkdtempSync(join(tmpdir(), 'ts-streams-kafka-'));
      try {
        const state = await startOnce(options, jars.dir, dir, signals);
        return { ...state, startMs: Date.now() - start };
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        if (error instanceof PortRace && options.port === undefined && attempt < BIND_ATTEMPTS) continue;
        throw error instanceof PortRace ? portTaken(error.port) : error;
      }
    }
  } finally {
    signals.close();
  }
}

class InterruptWatch {
  signal: NodeJS.Signals | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => (this.signal = signal);

  constructor() {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  check(): void {
    if (this.signal) throw new SetupError(`kafka: start interrupted by ${this.signal}; nothing was left running`);
  }

  close(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/** The broker could not bind a port that was free a moment before. */
class PortRace extends Error {
  constructor(readonly port: number) {
    super(`port ${port} taken`);
  }
}

async function startOnce(options: StartOptions, jarsDir: string, dir: string, signals: InterruptWatch): Promise<BrokerState> {
  const port = options.port ?? (await freePort());
  if (options.port !== undefined) await ensurePortFree(port);
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();

  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const config = join(dir, 'server.properties');
  writeFileSync(config, serverProperties({ port, controllerPort, dataDir }));
  writeFileSync(join(dir, 'log4j2.properties'), log4j2Properties('INFO'));
  writeFileSync(join(dir, 'log4j2-tool.properties'), log4j2Properties('WARN'));
  const classpath = join(jarsDir, '*');

  const format = await runTool(
    javaCommand(),
    [
      ...toolJvmOptions(),
      `-Dlog4j2.configurationFile=${join(dir, 'log4j2-tool.properties')}`,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '--cluster-id',
      clusterId(),
      '--config',
      config,
    ],
    join(dir, 'format.log'),
  );
  signals.check();
  if (format.code !== 0) throw javaFailure('formatting its log directory', format.output());

  const state: BrokerState = {
    name: options.name,
    pid: 0,
    bootstrap: `127.0.0.1:${port}`,
    port,
    controllerPort,
    dir,
    kafkaVersion: KAFKA_VERSION,
    startedAt: '',
  };
  return launch(state, jarsDir, options.timeoutMs ?? 90_000, signals, 'w');
}

/**
 * Starts again a broker stopped with `stopBroker(state, { keepFiles: true })`: the same configuration, ports and
 * log directory, so it comes back with its topics, records and committed offsets (as a broker restarted in place
 * after a crash or an upgrade). Tests use it to take a broker away from a running application and bring it back.
 */
export async function restartBroker(state: BrokerState, options: { timeoutMs?: number } = {}): Promise<BrokerState> {
  requireTools(false);
  if (isBrokerProcess(state)) throw new SetupError(`kafka: the broker ${state.name} (pid ${state.pid}) is still running; stop it first`);
  if (!existsSync(join(state.dir, 'server.properties'))) {
    throw new SetupError(`kafka: the broker ${state.name} has no files left in ${state.dir} to restart from (stopped without keepFiles?)`);
  }
  await ensurePortFree(state.port);
  const jars = await ensureKafkaJars();
  const signals = new InterruptWatch();
  try {
    return await launch(state, jars.dir, options.timeoutMs ?? 90_000, signals, 'a');
  } catch (error) {
    throw error instanceof PortRace ? portTaken(error.port) : error;
  } finally {
    signals.close();
  }
}

/** Runs the broker JVM on the configuration in `state.dir` and waits until it is ready; its log goes to broker.log. */
async function launch(base: BrokerState, jarsDir: string, timeoutMs: number, signals: InterruptWatch, logMode: 'w' | 'a'): Promise<BrokerState> {
  const { dir } = base;
  const config = join(dir, 'server.properties');
  const classpath = join(jarsDir, '*');
  const logFile = join(dir, 'broker.log');
  const log = openSync(logFile, logMode);
  const broker = spawn(
    javaCommand(),
    [
      ...brokerJvmOptions(),
      `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      config,
    ],
    // Its own process group: a Ctrl-C meant for the command that started it does not reach it.
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const state: BrokerState = { ...base, pid: broker.pid!, startedAt: new Date().toISOString() };
  // Recorded before it answers, so that even a start killed outright leaves a broker 'stop' can find.
  writeBrokerState(state);
  await waitUntilReady(broker, state, timeoutMs, signals, () => readFileSync(logFile, 'utf8'));
  broker.unref();
  return state;
}

async function waitUntilReady(
  broker: ChildProcess,
  state: BrokerState,
  timeoutMs: number,
  signals: InterruptWatch,
  log: () => string,
): Promise<void> {
  let exited: string | undefined;
  let spawnError: Error | undefined;
  broker.on('exit', (code, signal) => (exited = signal ? `was killed by ${signal}` : `exited with ${code}`));
  broker.on('error', (error) => (spawnError = error));
  const deadline = Date.now() + timeoutMs;
  let listed = false;
  let lastError: Error | undefined;
  try {
    for (;;) {
      if (spawnError) throw missingTool(javaCommand(), spawnError);
      if (exited) {
        const output = log();
        if (/BindException|Address already in use/.test(output)) throw new PortRace(state.port);
        throw javaFailure(`starting (it ${exited})`, output);
      }
      signals.check();
      if (Date.now() > deadline) {
        throw new SetupError(
          `kafka: the broker (pid ${state.pid}) did not answer on ${state.bootstrap} within ${seconds(timeoutMs)}; ` +
            `${listed ? 'its group coordinator never became ready' : 'it never listed itself'}` +
            `${lastError ? ` (last: ${lastError.message})` : ''}; its log ends with:\n${lastLines(log(), 20)}\n` +
            `A busy machine can be slow: try again, or look for an error above.`,
        );
      }
      try {
        listed ||= (await probeBrokers(state.port, 1_000)).some((b) => b.nodeId === NODE_ID);
        if (listed && (await groupCoordinatorReady(state.port, 1_000))) return;
      } catch (error) {
        // Not listening yet; anything else is worth a look when it does not come up.
        lastError = error as Error;
      }
      await sleep(100);
    }
  } catch (error) {
    if (!exited) {
      broker.kill('SIGKILL');
      await new Promise((resolve) => (exited ? resolve(undefined) : broker.once('exit', resolve)));
    }
    removeBrokerState(state.name);
    throw error;
  }
}

function javaFailure(what: string, output: string): SetupError {
  const hint = /UnsupportedClassVersionError/.test(output)
    ? `Apache Kafka ${KAFKA_VERSION} needs Java 17 or later: install one, or point JAVA_HOME at it.`
    : 'See the output above; the full log is removed with the failed start.';
  return new SetupError(`kafka: the broker failed ${what}; its output ends with:\n${lastLines(output, 20)}\n${hint}`);
}

/** A Kafka cluster id: 16 random bytes in URL-safe base64 (22 characters), never starting with '-' (as Kafka's). */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
