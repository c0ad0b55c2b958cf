// `streams run <topology.ts | folder>`: runs a topology as an application (KafkaStreams) on the target, with a status
// line, --print, a folder's generator on the embedded log, and a clean stop on SIGINT/SIGTERM.
import { CliError } from './cli-error.ts';
import { choiceFlag } from './parse-flags.ts';
import { describeTarget, streamsConnection } from './client-for.ts';
import { openCluster } from './open-cluster.ts';
import { ensureTopic, missingTopic } from './ensure-topic.ts';
import { loadTopology, type LoadedTopology } from './load-topology.ts';
import type { TypeCheckResult } from './type-check.ts';
import type { StartedRun } from './run-entry.ts';
import { typeCheckError, typeCheckLine } from './type-check-report.ts';
import { loadGenerator } from './load-generator.ts';
import { display } from './load-module.ts';
import { appSettings } from './app-settings.ts';
import { LOG_LEVELS, createLogger } from './logger.ts';
import { Terminal } from './terminal.ts';
import { RunStatus } from './run-status.ts';
import { TopicPrinter } from './topic-printer.ts';
import { TopicViewFeed } from './topic-view-feed.ts';
import { openTopicReader } from './topic-reader.ts';
import { sinkTopics, topicSerdes } from './topic-serdes.ts';
import { createGeneratorContext } from './generator-context.ts';
import { ApplicationReset } from './application-reset.ts';
import { KafkaStreams } from '../app/kafka-streams.ts';
import type { StreamsConfig } from '../app/streams-config.ts';
import type { StreamsState } from '../app/streams-state.ts';
import type { ClientLogSink } from '../client/kafkajs/kafkajs-logger.ts';
import { userSourceTopics } from '../topics/topic-plan.ts';
import { groupSourceTopics } from '../assignment/task-partitions.ts';
import { MissingSourceTopicError } from '../errors/missing-source-topic-error.ts';

/** How often the status line is redrawn on a TTY, and how often it is logged off one. */
const STATUS_TTY_MS = 1_000;
const STATUS_LOG_MS = 10_000;

/**
 * Runs the application of a `streams run` started by run-entry.ts (its type check under way: waited for before
 * anything changes on the target).
 */
export async function runApplication({ flags, path, located, checking }: StartedRun): Promise<number> {
  const level = choiceFlag('run', 'log-level', flags['log-level'], LOG_LEVELS) ?? 'info';
  let checked: TypeCheckResult | undefined;
  const typesChecked = async () => {
    checked = await checking;
    if (checked?.outcome === 'failed') throw typeCheckError(checked, located.file);
  };
  let loaded: LoadedTopology;
  try {
    loaded = await loadTopology(path);
  } catch (e) {
    // A file that does not load (a TypeError while it builds, an export that is not what it should be) may well be
    // wrong in its types: that is said first. (Any other mistake below is said at once, the check stopped.)
    await typesChecked();
    throw e;
  }
  const { topology } = loaded;
  const { applicationId, stateDir, target, options } = await appSettings('run', loaded, flags);
  const terminal = new Terminal();
  // The topology's view, on a terminal; its default print then goes only where the view is not (stdout redirected).
  const view = terminal.interactive ? loaded.view : undefined;
  const print = flags.print ?? (view !== undefined && process.stdout.isTTY ? undefined : loaded.print);
  const printSerdes = print === undefined ? undefined : topicSerdes(topology, print);
  if (print !== undefined && (printSerdes === undefined || !sinkTopics(topology).includes(print))) {
    const writes = sinkTopics(topology);
    throw new CliError(`--print ${print}: the topology does not write to that topic; ${writes.length > 0 ? `it writes to ${writes.join(', ')}` : 'it writes to no topic'}.`, 2);
  }
  if (loaded.view !== undefined && !sinkTopics(topology).includes(loaded.view.topic)) {
    const writes = sinkTopics(topology);
    throw new CliError(`${display(loaded.file)} exports a view of ${loaded.view.topic}, a topic the topology does not write to: view one it writes to (${writes.length > 0 ? writes.join(', ') : 'it writes to no topic'}).`);
  }
  await typesChecked();
  const runsGenerator = loaded.generatorFile !== undefined && target.kind === 'embedded';

  const log = createLogger(terminal, level);
  if (checked !== undefined) {
    const { level: at, line } = typeCheckLine(checked);
    log[at](line);
  }
  const clientLog = log.child({ client: target.kind === 'kafka' ? (target.client ?? 'kafkajs') : 'embedded' });
  // Until the cluster answers, the client's failed attempts to connect are debug lines: a broker that does not answer
  // is one message (openCluster's, naming the address and the fix), not dozens of connection errors before it.
  let reached = false;
  const logSink: ClientLogSink = (entry) =>
    clientLog[!reached && (entry.level === 'error' || entry.level === 'warn') ? 'debug' : entry.level]({ component: entry.namespace, ...entry.fields }, entry.message);
  const cluster = await openCluster(target, {
    clientId: `${applicationId}-cli`,
    logSink,
    opener: 'run',
    // On the embedded log, the other streams commands reach it through this process while it runs.
    serve: { info: (line) => log.info(line), warn: (line) => log.warn(line) },
  });
  reached = true;
  let app: KafkaStreams | undefined;
  let printer: TopicPrinter | undefined;
  let viewFeed: TopicViewFeed | undefined;
  let generating: Promise<void> | undefined;
  const generatorStop = new AbortController();
  let statusTimer: NodeJS.Timeout | undefined;
  let stopSignal: NodeJS.Signals | undefined;
  let signalled!: () => void;
  const stopRequested = new Promise<void>((resolve) => (signalled = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopSignal !== undefined) {
      terminal.clearStatus();
      log.warn(`${signal} again: exiting at once, without committing (the next run reprocesses from the last commit).`);
      process.exit(130);
    }
    stopSignal = signal;
    log.info(`${signal}: stopping — the batch in progress finishes, then every task commits and closes (${signal} again to quit at once).`);
    signalled();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    // The input: on Kafka a missing input topic stays an error, as in Kafka Streams; the embedded log makes it.
    if (target.kind === 'kafka') {
      const described = await cluster.admin.describeTopics(userSourceTopics(topology));
      const missing = userSourceTopics(topology).filter((t) => described.get(t) === undefined);
      if (missing.length > 0) throw new CliError(`${new MissingSourceTopicError(missing).message} ('streams topics --brokers ${target.brokers.join(',')}' lists the topics there.)`);
    } else {
      for (const t of [...userSourceTopics(topology), ...sinkTopics(topology)]) await ensureTopic(cluster.admin, target, t, (line) => log.info(line));
    }

    if (flags['from-beginning'] === true) {
      // Reprocessing the input from its start is a reset first (as `streams reset` does), so that nothing is counted
      // over the state of the runs before. Without the flag a new application reads its input from the beginning too
      // (autoOffsetReset 'earliest', Kafka Streams' default), and one that ran before resumes where it committed.
      const resetting = await ApplicationReset.prepare(cluster.admin, topology, { applicationId, stateDir, local: ApplicationReset.lockLocalState(stateDir, applicationId) });
      try {
        log.info(`--from-beginning: resetting application ${applicationId} first, as 'streams reset' does: ${resetting.plan.join('; ')}.`);
        await resetting.apply();
      } finally {
        resetting.release();
      }
    }

    const config: StreamsConfig = { ...options, ...streamsConnection(target), applicationId, stateDir };
    app = new KafkaStreams(topology, config, {
      clientFactory: cluster.clientFactory,
      log: (line) => log.info(line),
    });
    const running = app;
    let lastState: StreamsState | undefined;
    running.state$.subscribe((state) => {
      if (lastState !== undefined) log.debug(`State ${lastState} → ${state}.`);
      lastState = state;
      if (state === 'ERROR' || state === 'NOT_RUNNING') signalled();
    });

    if (print !== undefined) {
      // From the topic's end as the application starts: what this run writes (`streams tail --from-beginning` shows the rest).
      const reader = await openTopicReader(cluster.client, cluster.admin, print, 'latest');
      if (reader === undefined) throw missingTopic(target, print);
      printer = new TopicPrinter(reader, printSerdes!, terminal, (e) => log.error(`--print ${print} stopped: ${(e as Error)?.message ?? String(e)}`));
    }
    if (view !== undefined) {
      const reader = await openTopicReader(cluster.client, cluster.admin, view.topic, flags['from-beginning'] ? 'earliest' : 'latest');
      if (reader === undefined) throw missingTopic(target, view.topic);
      viewFeed = new TopicViewFeed(reader, topicSerdes(topology, view.topic)!, view, terminal, { warn: (m) => log.warn(m), error: (m) => log.error(m) });
    }

    log.info(`Running ${display(loaded.file)} as application ${applicationId} on ${describeTarget(target)}; state in ${stateDir}.`);
    if (target.kind === 'embedded') {
      log.info(
        `This is the embedded log: a single-process log on local disk (${stateDir}), for development — one process, no replication. ` +
          `The same file runs on Kafka unchanged: streams run ${display(loaded.file)} --brokers host:port.`,
      );
    }
    const starting = running.start();
    // A stop asked while starting: close() below waits for the start to end; its failure is reported there.
    starting.catch(() => undefined);
    try {
      await Promise.race([starting, stopRequested]);
    } catch (e) {
      throw new CliError(`The application could not start: ${(e as Error)?.message ?? String(e)}`, 1, { cause: e });
    }
    if (running.state === 'RUNNING' || running.state === 'REBALANCING') {
      const status = new RunStatus(running, cluster.admin, groupSourceTopics(topology, applicationId));
      statusTimer = terminal.interactive
        ? setInterval(() => terminal.status(status.line()), STATUS_TTY_MS)
        : setInterval(() => log.info(status.line()), STATUS_LOG_MS);
      if (loaded.generatorFile !== undefined && !runsGenerator) {
        log.info(`${display(loaded.generatorFile)} is not run on Kafka (it feeds the embedded log): produce the input yourself, e.g. with 'streams produce <topic> --brokers …'.`);
      }
      if (runsGenerator) {
        const generate = await loadGenerator(loaded.generatorFile!);
        const producer = cluster.client.producer({});
        const context = createGeneratorContext({ admin: cluster.admin, producer, target, signal: generatorStop.signal, log: (line) => log.info(line) });
        log.info(`Running ${display(loaded.generatorFile!)}: it produces the example's input until the application stops.`);
        generating = producer
          .connect()
          .then(() => generate(context))
          .then(
            () => log.info(`${display(loaded.generatorFile!)} finished.`),
            (e: unknown) => log.error(`${display(loaded.generatorFile!)} failed: ${(e as Error)?.message ?? String(e)}`),
          )
          .finally(() => producer.close().catch(() => undefined));
      }
    }
    await stopRequested;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    // Ctrl-C again while closing still quits at once.
    if (stopSignal !== undefined) process.once('SIGINT', () => process.exit(130));
    clearInterval(statusTimer);
    await viewFeed?.stop(); // before the live block goes: it would draw it again
    terminal.clearStatus();
    generatorStop.abort();
    await generating;
    await app?.close();
    await printer?.stop();
    await cluster.close();
  }
  if (app.state === 'ERROR') {
    const cause = app.error;
    throw new CliError(`The application stopped on an error: ${(cause as Error)?.message ?? String(cause)}`, 1, { cause });
  }
  log.info(`Stopped: application ${applicationId} committed and closed cleanly.`);
  return 0;
}
