import { join } from 'node:path';
import {
  Observable, Subject, defer, merge, fromEvent, interval, of, from, take, takeUntil, concatMap, repeat, tap, map, ignoreElements, switchMap,
  type Subscription,
} from 'rxjs';
import type { Topology } from '@ts-streams/dsl';
import { RecordCache, StateDirectory } from '@ts-streams/state';
import type { KafkaClient } from '../client/kafka-client.ts';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { GroupConsumer } from '../client/group-consumer.ts';
import type { AssignedConsumer } from '../client/assigned-consumer.ts';
import type { KafkaProducer } from '../client/kafka-producer.ts';
import { planTopics } from '../topics/topic-plan.ts';
import { describeSourceTopics, describeSinkTopics, ensureInternalTopics } from '../topics/ensure-internal-topics.ts';
import { groupSourceTopics } from '../assignment/task-partitions.ts';
import { StreamsError } from '../errors/streams-error.ts';
import { ClientError } from '../errors/client-error.ts';
import { resolveConfig, type StreamsConfig, type ResolvedStreamsConfig } from './streams-config.ts';
import { StreamsStateMachine, isTerminal, type StreamsState } from './streams-state.ts';
import { StreamsGroupAssignor } from './streams-group-assignor.ts';
import { ProducerRecordSink } from './producer-record-sink.ts';
import { TaskManager } from './task-manager.ts';
import { GlobalState } from './global-state.ts';
import { processIdOf } from './process-id.ts';
import { withRetries } from './with-retries.ts';
import { createClient } from './client-factory.ts';
import type { StreamsMetrics } from './streams-metrics.ts';

/** Makes the client behind the seam from the config (the adapter `config.client` names). */
export type ClientFactory = (config: ResolvedStreamsConfig) => KafkaClient;

/** Kafka Streams' commit.interval.ms default under exactly-once (StreamsConfig: EOS_DEFAULT_COMMIT_INTERVAL_MS). */
const EOS_COMMIT_INTERVAL_MS = 100;

/**
 * The most records the producer may have unacknowledged before the loop waits for it (Kafka's buffer.memory, 32 MiB,
 * is ~300k records of 100 B): enough to keep every send in flight busy, a bound on memory.
 */
const SINK_BACKLOG = 50_000;

/** How often wall-clock punctuators are looked at when no record arrives (Kafka looks once per loop). */
const WALL_CLOCK_TICK_MS = 100;

/**
 * A topology running on Kafka (Kafka Streams' KafkaStreams), at-least-once, in this process: its tasks are those the
 * consumer group `applicationId` gives it, their state on disk under `stateDir/applicationId`, restored from the
 * changelogs before they process. With `clientFactory: embeddedClientFactory(log)` the same runtime runs on the
 * embedded log instead, exactly-once by construction (KafkaClient#exactlyOnceByConstruction); no
 * bootstrapServers is needed then.
 *
 *     const app = new KafkaStreams(topology, { applicationId: 'page-views', bootstrapServers: '127.0.0.1:9092' });
 *     app.state$.subscribe((s) => console.log(s));
 *     await app.start();   // resolves once RUNNING (first assignment restored)
 *     ...
 *     await app.close();   // commits, closes the tasks cleanly (checkpoints written), leaves the group
 *
 * The running pipeline is RxJS (see run()): polled batches in, each task's processRecords operator, commits on a
 * commitIntervalMs timer or when a processor asks, wall-clock punctuation on a timer, shutdown by takeUntil on
 * close(), SIGINT or SIGTERM. Per record, everything is synchronous.
 */
export class KafkaStreams {
  readonly config: ResolvedStreamsConfig;
  private readonly machine = new StreamsStateMachine();
  private readonly closeRequested$ = new Subject<void>();
  private client: KafkaClient | undefined;
  private admin: KafkaAdmin | undefined;
  private consumer: GroupConsumer | undefined;
  private restoreConsumer: AssignedConsumer | undefined;
  private globalConsumer: AssignedConsumer | undefined;
  private producer: KafkaProducer | undefined;
  private sink: ProducerRecordSink | undefined;
  private stateDir: StateDirectory | undefined;
  private tasks: TaskManager | undefined;
  private global: GlobalState | undefined;
  private running: Subscription | undefined;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private failure: unknown;
  /** close() or a signal asked to stop: the round in progress finishes, restoration stops early. */
  private stopRequested = false;
  /** Resolves when the running pipeline ended (completed at a stop, or failed). */
  private runEnded: Promise<void> = Promise.resolve();
  private commits = 0;
  /** A source's own Consumed.withOffsetResetPolicy, by topic (else the application's autoOffsetReset). */
  private readonly offsetResets = new Map<string, 'earliest' | 'latest'>();
  /** A commit was refused for a rebalance and none succeeded since (one log line per rebalance). */
  private commitWaiting = false;

  /** The application's state (Kafka Streams' KafkaStreams.State) and its changes: see StreamsStateMachine. */
  readonly state$: Observable<StreamsState> = this.machine.state$;

  constructor(
    readonly topology: Topology,
    config: StreamsConfig,
    private readonly options: { readonly clientFactory?: ClientFactory; readonly log?: (line: string) => void } = {},
  ) {
    // With a client factory of its own (the embedded log) there may be no broker to name.
    this.config = resolveConfig(config, { bootstrapServersRequired: options.clientFactory === undefined });
    this.commitIntervalSet = (config as { commitIntervalMs?: unknown }).commitIntervalMs !== undefined;
  }
  /** Whether the config sets commitIntervalMs (else exactly-once commits every EOS_COMMIT_INTERVAL_MS). */
  private readonly commitIntervalSet: boolean;
  /** The commit interval in effect: the config's, or Kafka Streams' exactly-once default when that applies. */
  private commitIntervalMs = 0;

  get state(): StreamsState {
    return this.machine.state;
  }

  /** The error that stopped the application (state ERROR), if one did. */
  get error(): unknown {
    return this.failure;
  }

  private log(line: string): void {
    (this.options.log ?? ((l: string) => console.log(`[${this.config.applicationId}] ${l}`)))(line);
  }

  /**
   * Starts the application: checks the topics (a missing input is an error naming it; internal topics are created
   * or checked), reads the global tables, joins the group and restores the assigned tasks. Resolves once RUNNING;
   * rejects, with the application in ERROR, when any of that fails. Called once.
   */
  start(): Promise<void> {
    if (this.starting !== undefined) throw new StreamsError(`KafkaStreams '${this.config.applicationId}' was already started; a closed application cannot start again: create a new KafkaStreams.`);
    if (this.state !== 'CREATED') throw new StreamsError(`KafkaStreams '${this.config.applicationId}' is ${this.state} and cannot start: create a new KafkaStreams.`);
    this.machine.transitionTo('REBALANCING');
    this.starting = this.startUp().catch(async (e) => {
      await this.fail(e);
      throw e;
    });
    return this.starting;
  }

  private async startUp(): Promise<void> {
    const { config, topology } = this;
    const client = (this.client = (this.options.clientFactory ?? createClient)(config));
    const admin = (this.admin = client.admin());
    const log = (line: string) => this.log(line);
    // The admin's connect tries, with backoff, for defaultApiTimeoutMs (the client's connect timeout).
    await admin.connect().catch((e: unknown) => {
      if (!(e instanceof ClientError && e.reason === 'unreachable')) throw e;
      const servers = config.bootstrapServers.join(',');
      const last = e.cause instanceof Error ? e.cause.message : e.message;
      throw new StreamsError(
        `KafkaStreams '${config.applicationId}' could not start: no Kafka broker answered at ${servers} within defaultApiTimeoutMs (${config.defaultApiTimeoutMs} ms) of trying (last: ${last}). ` +
          `Check that a broker is running there and that bootstrapServers names its listener as host:port; to wait longer for it, raise defaultApiTimeoutMs.`,
        { cause: e },
      );
    });

    // Every user topic checked before anything is created. Retried while retriable: a topic just created (by us or
    // another instance) takes a moment to have leaders.
    const { sourcePartitions, sinkPartitions, plan, ready } = await withRetries(async () => {
      const sourcePartitions = await describeSourceTopics(admin, topology);
      const plan = planTopics(topology, { applicationId: config.applicationId, sourcePartitions });
      const planned = new Map([...plan.repartitionTopics, ...plan.changelogTopics].map((t) => [t.name, t.partitions]));
      const sinkPartitions = await describeSinkTopics(admin, topology, new Map([...sourcePartitions, ...planned]));
      return { sourcePartitions, sinkPartitions, plan, ready: await ensureInternalTopics(admin, plan, { replicationFactor: config.replicationFactor }) };
    }, {
      what: 'check the input and output topics and make the internal topics', deadlineMs: config.defaultApiTimeoutMs, log,
      hint: `Check that the brokers are up; to keep trying longer, raise defaultApiTimeoutMs (${config.defaultApiTimeoutMs} ms).`,
    });
    if (ready.created.length > 0) log(`Created internal topics ${ready.created.join(', ')}.`);

    // Partition counts of every topic written: sinks (user topics described, repartition topics planned) and changelogs.
    const partitions = new Map<string, number>([...sourcePartitions, ...sinkPartitions]);
    for (const t of [...plan.repartitionTopics, ...plan.changelogTopics]) partitions.set(t.name, t.partitions);

    const appStateDir = join(config.stateDir, config.applicationId);
    const stateDir = (this.stateDir = StateDirectory.lock(appStateDir));
    const processId = processIdOf(appStateDir);
    // Exactly-once when the config asks for it (exactly_once_v2) or the client makes it so by construction (the
    // embedded log): one transactional producer for the process, its transaction committed with the input offsets;
    // commits every 100 ms unless the config says otherwise, as Kafka Streams' commit.interval.ms default under
    // exactly_once_v2 (records written through a repartition topic are read downstream only once committed, so the
    // interval is also their latency).
    const byConstruction = client.exactlyOnceByConstruction === true;
    const exactlyOnce = byConstruction || config.processingGuarantee === 'exactly_once_v2';
    this.exactlyOnce = exactlyOnce;
    this.commitIntervalMs = byConstruction && !this.commitIntervalSet ? EOS_COMMIT_INTERVAL_MS : config.commitIntervalMs;
    // Kafka Streams' transactional.id under exactly_once_v2: `<application.id>-<process id>-<thread index>` (its
    // ActiveTaskCreator). The process id is kept in the state directory, so a restarted instance takes its id over
    // and its InitProducerId aborts what the crashed one left open at once (not after transaction.timeout.ms); zombies
    // of another process are fenced by the group's generation in TxnOffsetCommit (KIP-447). The embedded log's is the
    // application id (one instance holds it).
    const transactional = exactlyOnce
      ? byConstruction
        ? { transactionalId: config.applicationId }
        : { transactionalId: `${config.applicationId}-${processId}-1`, transactionTimeoutMs: config.transactionTimeoutMs }
      : {};
    // A send no broker acknowledges is retried in place for taskTimeoutMs (a broker restarting), then fails the app.
    const producer = (this.producer = client.producer({ deliveryTimeoutMs: config.taskTimeoutMs, ...transactional }));
    await producer.connect();
    const sink = (this.sink = new ProducerRecordSink(producer, {
      partitions, taskTimeoutMs: config.taskTimeoutMs, ...(exactlyOnce ? { groupMetadata: () => this.consumer!.groupMetadata() } : {}),
    }));
    if (exactlyOnce) {
      sink.transaction!.begin();
      log(
        byConstruction
          ? `Processing exactly-once: each commit (every ${this.commitIntervalMs} ms) writes the outputs, changelog records and input offsets together, in one atomic write.`
          : `Processing exactly-once (exactly_once_v2, transactional id ${transactional.transactionalId}): each commit (every ${this.commitIntervalMs} ms) writes the outputs, changelog records and input offsets in one transaction.`,
      );
    }
    const cache = new RecordCache(config.cacheMaxBytes);
    const buffered = config.maxPollRecords * 2;

    if (topology.globalStores.length > 0) {
      // read_committed under exactly-once, as Kafka Streams' global consumer then (a global table's topic may be
      // written transactionally: an aborted write must not reach the table).
      const globalConsumer = (this.globalConsumer = client.assignedConsumer({ isolation: exactlyOnce ? 'read_committed' : 'read_uncommitted', maxBufferedRecords: buffered }));
      await globalConsumer.connect();
      this.global = await GlobalState.bootstrap({
        topology, applicationId: config.applicationId, stateDir, cache, sink, admin, consumer: globalConsumer,
        maxPollRecords: config.maxPollRecords, pollMs: config.pollMs, log,
      });
    }

    const restoreConsumer = (this.restoreConsumer = client.assignedConsumer({ isolation: exactlyOnce ? 'read_committed' : 'read_uncommitted', maxBufferedRecords: buffered }));
    await restoreConsumer.connect();
    // A source's own Consumed.withOffsetResetPolicy, else the application's autoOffsetReset.
    const offsetResets = this.offsetResets;
    for (const n of topology.graph.nodes) {
      if (n.kind === 'source' && !n.internal && (n.offsetReset === 'earliest' || n.offsetReset === 'latest')) for (const t of n.topics) offsetResets.set(t, n.offsetReset);
    }
    let tasks!: TaskManager;
    const consumer = (this.consumer = client.groupConsumer({
      groupId: config.applicationId,
      assignor: new StreamsGroupAssignor({
        topology, applicationId: config.applicationId, processId, memberTasks: () => tasks.memberTasks(),
        onAssigned: (a) => log(`Assigned the group's tasks: ${a.kept} kept, ${a.warm} to a member with their state, ${a.cold} restored from scratch.`),
      }),
      offsetReset: (topic) => offsetResets.get(topic) ?? config.autoOffsetReset,
      isolation: exactlyOnce ? 'read_committed' : 'read_uncommitted',
      sessionTimeoutMs: config.sessionTimeoutMs,
      maxBufferedRecords: buffered,
    }));
    tasks = this.tasks = new TaskManager({
      topology, config, stateDir, appStateDir, cache, sink, consumer, restoreConsumer, admin,
      sharedStores: this.global?.stores ?? new Map(), log, stopped: () => this.stopRequested || this.state === 'PENDING_SHUTDOWN' || this.state === 'PENDING_ERROR',
      repartitionTopics: new Set(plan.repartitionTopics.map((t) => t.name)),
    });
    await consumer.subscribe(groupSourceTopics(topology, config.applicationId), {
      onRevoked: async (ps) => {
        this.machine.transitionTo('REBALANCING');
        await tasks.revoked(ps);
      },
      onLost: async (ps) => {
        this.machine.transitionTo('REBALANCING');
        await tasks.lost(ps);
      },
      onAssigned: async (assignment) => {
        this.machine.transitionTo('REBALANCING');
        await tasks.assigned(assignment);
        this.machine.transitionTo('RUNNING');
      },
    });
    let ended!: () => void;
    this.runEnded = new Promise((resolve) => (ended = resolve));
    this.running = this.run(consumer, tasks).subscribe({
      error: (e) => {
        void this.fail(e);
        ended();
      },
      complete: () => {
        void this.shutDown();
        ended();
      },
    });
  }

  /**
   * The running pipeline: rounds of poll → every task's processRecords over what it got → commit when due →
   * global tables updated → wall-clock punctuation, one round after the other (repeat), so that a commit is a barrier
   * across tasks and no poll runs ahead of processing (the consumer's buffer is bounded by maxBufferedRecords).
   * Timers only mark work due; the round does it. takeUntil ends it on close(), SIGINT or SIGTERM — at the end of
   * the round in progress, never between a task's slices (they would go on processing while the shutdown commits);
   * completion then closes the tasks cleanly.
   */
  private run(consumer: GroupConsumer, tasks: TaskManager): Observable<void> {
    const { maxPollRecords, pollMs } = this.config;
    const commitIntervalMs = this.commitIntervalMs;
    const roundEnd$ = new Subject<void>();
    const stop$ = merge(this.closeRequested$, fromEvent(process, 'SIGINT'), fromEvent(process, 'SIGTERM')).pipe(
      take(1),
      tap(() => {
        this.stopRequested = true;
        this.log('Stopping: the round in progress finishes, then every task is committed and closed.');
      }),
      switchMap(() => roundEnd$.pipe(take(1))),
    );
    let commitDue = false;
    let punctuationDue = false;
    const timers$ = merge(
      interval(commitIntervalMs).pipe(tap(() => { commitDue = true; })),
      interval(WALL_CLOCK_TICK_MS).pipe(tap(() => { punctuationDue = true; })),
    );
    const global = this.global;
    const round$ = defer(() => consumer.poll({ maxRecords: maxPollRecords, timeoutMs: pollMs })).pipe(
      // Once a stop is asked for, what the round polled is left unprocessed (read again from the committed offsets
      // next time): a restoration the stop cut short leaves its tasks unfit to process.
      concatMap((fetched) => (this.stopRequested ? of(false) : tasks.process(fetched))),
      // No poll while the producer is more than SINK_BACKLOG records behind (a source → sink app outruns it).
      concatMap((asked) => {
        const behind = this.sink?.backlog(SINK_BACKLOG);
        return behind === undefined ? of(asked) : from(behind).pipe(map(() => asked));
      }),
      concatMap((asked) => {
        if (!asked && !commitDue) return of(undefined);
        commitDue = false;
        return from(this.commitAll());
      }),
      concatMap(() => (global === undefined ? of(0) : from(global.update(0)))),
      map(() => {
        if (punctuationDue) {
          punctuationDue = false;
          tasks.punctuateWallClock();
        }
      }),
      tap(() => roundEnd$.next()),
    );
    return merge(round$.pipe(repeat()), timers$.pipe(ignoreElements())).pipe(takeUntil(stop$));
  }

  private async commitAll(): Promise<void> {
    const tasks = this.tasks!;
    try {
      await tasks.commit();
    } catch (e) {
      if (this.exactlyOnce && e instanceof ClientError && (e.reason === 'rebalanced' || e.reason === 'fenced')) {
        await this.abortTransaction(tasks, e);
        return;
      }
      if (!(e instanceof ClientError && e.reason === 'rebalanced')) throw e;
      // kafkajs rejoined the group (after a broker went away, say) and the next poll hands the partitions out again:
      // those this member keeps are committed there (onRevoked), before anything more is processed; those it loses
      // are reprocessed from their last commit by their new owner. Nothing was committed here.
      if (!this.commitWaiting) this.log(`Commits wait for the rebalance under way (logged once): ${e.message}`);
      this.commitWaiting = true;
      return;
    }
    this.commitWaiting = false;
    this.global?.checkpoint();
    this.commits++;
    tasks.purge();
  }

  /**
   * Exactly-once, a commit failed (Kafka Streams' TaskMigratedException / TaskCorruptedException): nothing of the
   * transaction may become visible. It is aborted (the producer starts a new epoch) and every task is closed dirty —
   * their stores hold writes of the aborted transaction, so they are wiped and restored from the changelogs' committed
   * records when they open again. On a rebalance the group hands the tasks out again (onAssigned reopens what this
   * member keeps; the partitions are read from the committed offsets); when only the producer was fenced, the tasks of
   * the current assignment reopen at once and their partitions go back to the committed offsets.
   */
  private async abortTransaction(tasks: TaskManager, e: ClientError): Promise<void> {
    this.log(
      `The transaction was aborted (${e.message}): every task is closed dirty, its state restored from the changelogs, and processed again from the committed offsets${e.reason === 'rebalanced' ? ' once the group hands the tasks out again' : ''}.`,
    );
    this.machine.transitionTo('REBALANCING');
    await tasks.lost('all');
    this.sink!.transaction!.begin();
    if (e.reason === 'rebalanced') return; // onAssigned moves the state to RUNNING again
    await tasks.revive((topic) => this.offsetResets.get(topic) ?? this.config.autoOffsetReset);
    this.machine.transitionTo('RUNNING');
  }
  private exactlyOnce = false;

  /** Per-task counters and what restoration did. */
  metrics(): StreamsMetrics {
    return {
      state: this.state,
      commits: this.commits,
      tasks: Object.fromEntries((this.tasks?.tasks ?? []).map((t) => [t.id, {
        processed: t.metrics.processed,
        punctuations: t.metrics.punctuations,
        commits: t.metrics.commits,
        droppedRecords: t.metrics.droppedRecords,
        dropped: Object.fromEntries(t.metrics.dropped),
        nodes: Object.fromEntries([...t.nodes.values()].map((n) => [n.name, n.processed])),
        bufferedRecords: t.queuedRecords(),
      }])),
      restored: (this.tasks?.restored ?? []).map((r) => ({ ...r })),
      pendingProducerRecords: this.sink?.pending ?? 0,
      producedRecords: this.sink?.acknowledged ?? 0,
    };
  }

  /**
   * Stops the application: processing stops at the end of the round in progress, every task is committed and closed
   * cleanly (checkpoints written), the member leaves the group, the clients close. Resolves once NOT_RUNNING, or
   * ERROR when the run or the shutdown failed (then `error` says why). Idempotent; before start(), it only moves the
   * state to NOT_RUNNING; while starting, it waits for the start to finish first.
   */
  close(): Promise<void> {
    if (this.state === 'CREATED') {
      this.machine.transitionTo('PENDING_SHUTDOWN');
      this.machine.transitionTo('NOT_RUNNING');
      return Promise.resolve();
    }
    this.closeCalled ??= (async () => {
      try {
        await this.starting;
      } catch {
        return; // the start failed: the application is in ERROR already
      }
      if (this.failing !== undefined) return this.failing;
      if (isTerminal(this.state)) return;
      this.closeRequested$.next();
      // The pipeline ends at the end of the round in progress and then shuts down. Not before: the tasks' slices of
      // that round are still processing, and a task that processes after its revoke committed cannot close cleanly.
      await this.runEnded;
      if (this.failing !== undefined) return this.failing;
      await this.shutDown();
    })();
    return this.closeCalled;
  }
  private closeCalled: Promise<void> | undefined;

  /** Leaves the group (its tasks committed and closed cleanly on revoke) and releases everything; never rejects. */
  private shutDown(): Promise<void> {
    this.closing ??= (async () => {
      this.machine.transitionTo('PENDING_SHUTDOWN');
      this.running?.unsubscribe();
      try {
        // Leaving the group revokes what the member owns: its tasks are committed and closed cleanly there.
        await this.consumer?.close();
        if (this.global !== undefined) {
          this.global.checkpoint();
          await this.global.close();
        }
        await this.sink?.flush();
      } catch (e) {
        this.failure ??= e;
        this.log(`The shutdown failed: ${(e as Error)?.message ?? String(e)}`);
        await this.tasks?.lost('all').catch(() => undefined);
      }
      await this.release();
      // As Kafka Streams: a shutdown ends NOT_RUNNING even when part of it failed (`error` says what).
      this.machine.transitionTo('NOT_RUNNING');
    })();
    return this.closing;
  }

  /** A fatal error: the tasks close dirty (nothing more committed: they reprocess from the last commit), then ERROR. */
  private fail(e: unknown): Promise<void> {
    if (this.closing !== undefined) {
      // Failed while shutting down: the shutdown goes on and ends NOT_RUNNING; `error` keeps the cause.
      this.failure ??= e;
      return this.closing;
    }
    this.failing ??= (async () => {
      this.failure ??= e;
      this.log(`Stopping on an error: ${(e as Error)?.message ?? String(e)}`);
      this.machine.transitionTo('PENDING_ERROR');
      this.running?.unsubscribe();
      await this.tasks?.lost('all').catch(() => undefined);
      await this.consumer?.close().catch(() => undefined);
      await this.global?.close().catch(() => undefined);
      await this.release();
      this.machine.transitionTo('ERROR');
    })();
    return this.failing;
  }
  private failing: Promise<void> | undefined;

  private async release(): Promise<void> {
    await this.tasks?.settle().catch(() => undefined);
    for (const role of [this.restoreConsumer, this.globalConsumer, this.producer, this.admin]) await role?.close().catch(() => undefined);
    await this.client?.close().catch(() => undefined);
    this.stateDir?.release();
  }
}
